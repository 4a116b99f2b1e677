#!/usr/bin/python3
"""gen_images.py - deterministic test and sample images, made with Pillow.

Run with the Python that has PIL (Debian's /usr/bin/python3, $PYTHON_PIL):

  gen_images.py photo OUT --size 3840x2160 [--seed N] [--quality 90]
                [--mode RGB|L|CMYK|RGBA] [--orientation 1-8] [--progressive]
                [--restart ROWS] [--arithmetic] [--lossless] [--detail F]
  gen_images.py zoneplate OUT --size 2000x2000 [--quality 95]
  gen_images.py bad DIR        truncated, empty, random, text-as-webp, bomb
  gen_images.py samples DIR    the sample set shipped in pipelines/samples

The format follows OUT's extension (.jpg/.jpeg, .webp, .png, .ppm), except
that --restart and --arithmetic go through cjpeg (libjpeg-turbo-progs),
since Pillow cannot write those.  "Photo-like" means what matters to a
resizer and a JPEG coder: smooth gradients, sharp-edged shapes, textures at
every scale and sensor grain, so that files compress like photographs
(a 3840x2160 photo at q90 is 1.5-3 MB) and aliasing shows.
"""
import argparse
import math
import os
import random
import subprocess
import sys
import tempfile

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageMath


def noise(rng, w, h):
    """Uniform grey noise from Python's seeded generator (PIL's own noise
    uses C rand(), which a seed cannot reach)."""
    return Image.frombytes("L", (w, h), rng.randbytes(w * h))


def octave(rng, w, h, cell):
    """Smooth noise with features about `cell` pixels wide."""
    sw, sh = max(2, w // cell + 2), max(2, h // cell + 2)
    return noise(rng, sw, sh).resize((w, h), Image.BICUBIC)


def colour_field(rng, w, h):
    """Low-frequency colour: a sky-to-ground gradient plus broad blotches."""
    small = Image.new("RGB", (4, 4))
    top = [rng.randrange(90, 230) for _ in range(3)]
    bottom = [rng.randrange(20, 150) for _ in range(3)]
    for y in range(4):
        t = y / 3
        for x in range(4):
            jitter = [rng.randrange(-40, 40) for _ in range(3)]
            small.putpixel((x, y), tuple(
                max(0, min(255, int(top[c] * (1 - t) + bottom[c] * t + jitter[c])))
                for c in range(3)))
    return small.resize((w, h), Image.BICUBIC)


def shapes(rng, img, count):
    """Sharp-edged objects: what makes ringing and aliasing visible."""
    w, h = img.size
    d = ImageDraw.Draw(img)
    for _ in range(count):
        colour = tuple(rng.randrange(256) for _ in range(3))
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.randrange(max(4, min(w, h) // 40), max(8, min(w, h) // 5))
        kind = rng.randrange(3)
        if kind == 0:
            d.ellipse([x - r, y - r // 2, x + r, y + r // 2], fill=colour)
        elif kind == 1:
            pts = [(x + rng.randrange(-r, r), y + rng.randrange(-r, r)) for _ in range(5)]
            d.polygon(pts, fill=colour)
        else:
            d.line([x, y, x + rng.randrange(-r, r) * 3, y + rng.randrange(-r, r)],
                   fill=colour, width=max(1, r // 12))
    # Fine line work (fences, branches): high frequencies near Nyquist.
    for _ in range(count // 2):
        x, y = rng.randrange(w), rng.randrange(h)
        n, gap = rng.randrange(5, 30), rng.randrange(2, 7)
        colour = tuple(rng.randrange(256) for _ in range(3))
        for i in range(n):
            d.line([x + i * gap, y, x + i * gap, y + n * gap // 2], fill=colour, width=1)


def photo(w, h, seed=1, detail=1.0):
    rng = random.Random(seed)
    base = colour_field(rng, w, h)
    layer = base.copy()
    shapes(rng, layer, 10 + int(w * h / 300000))
    base = Image.blend(base, layer, 0.75)
    # Texture at several scales modulates brightness, shapes included.
    tex = Image.new("L", (w, h), 128)
    for cell, weight in ((max(w, h) // 6, 0.5), (64, 0.35), (12, 0.3 * detail),
                         (3, 0.15 * detail)):
        tex = Image.blend(tex, octave(rng, w, h, max(2, cell)), weight)
    base = ImageChops.multiply(base, Image.merge("RGB", [tex.point(lambda v: min(255, v * 2))] * 3))
    base = base.filter(ImageFilter.GaussianBlur(0.6))  # optics
    grain = noise(rng, w, h).point(lambda v: 128 + int((v - 128) * 0.12 * detail))
    return ImageChops.add(base, Image.merge("RGB", [grain] * 3), 1.0, -128)


def zoneplate(w, h):
    """cos(k r^2): every frequency up to Nyquist at the corners; a resizer
    that aliases draws rings that are not there.  Built from 1-D rows and
    columns, since cos(a + b) = cos a cos b - sin a sin b, so that Pillow's
    C code does the per-pixel work."""
    km = math.pi / max(w, h)

    def plane(n, f, horizontal):
        line = Image.new("F", (n, 1) if horizontal else (1, n))
        line.putdata([f(km * (i - n / 2) ** 2) for i in range(n)])
        return line.resize((w, h), Image.NEAREST)

    cx, sx = plane(w, math.cos, True), plane(w, math.sin, True)
    cy, sy = plane(h, math.cos, False), plane(h, math.sin, False)
    z = ImageMath.eval("(cx * cy - sx * sy) * 127.5 + 128", cx=cx, cy=cy, sx=sx, sy=sy)
    g = z.convert("L")
    return Image.merge("RGB", [g, g, g])


def exif_bytes(orientation):
    ex = Image.Exif()
    ex[0x0112] = orientation
    return ex.tobytes()


def stored_for(img, orientation):
    """The pixels to store so that applying `orientation` shows `img`."""
    inverse = {2: Image.FLIP_LEFT_RIGHT, 3: Image.ROTATE_180, 4: Image.FLIP_TOP_BOTTOM,
               5: Image.TRANSPOSE, 6: Image.ROTATE_90, 7: Image.TRANSVERSE,
               8: Image.ROTATE_270}
    return img.transpose(inverse[orientation]) if orientation in inverse else img


def save_cjpeg(img, out, quality, args):
    """Restart markers and arithmetic coding: only cjpeg writes those."""
    with tempfile.NamedTemporaryFile(suffix=".ppm" if img.mode != "L" else ".pgm") as tmp:
        img.save(tmp.name)
        cmd = ["cjpeg", "-quality", str(quality)]
        if args.restart:
            cmd += ["-restart", str(args.restart)]
        if args.arithmetic:
            cmd += ["-arithmetic"]
        if args.progressive:
            cmd += ["-progressive"]
        if img.mode == "L":
            cmd += ["-grayscale"]
        cmd += ["-outfile", out, tmp.name]
        subprocess.run(cmd, check=True)


def save(img, out, args):
    ext = os.path.splitext(out)[1].lower()
    quality = args.quality
    kw = {}
    if args.orientation and args.orientation != 1:
        img = stored_for(img, args.orientation)
        kw["exif"] = exif_bytes(args.orientation)
    if args.mode and img.mode != args.mode:
        img = img.convert(args.mode)
    if ext in (".jpg", ".jpeg") and (args.restart or args.arithmetic):
        if kw:
            sys.exit("gen_images: --orientation cannot be combined with cjpeg options")
        return save_cjpeg(img, out, quality, args)
    if ext in (".jpg", ".jpeg"):
        img.save(out, "JPEG", quality=quality, progressive=args.progressive, **kw)
    elif ext == ".webp":
        img.save(out, "WEBP", quality=quality, lossless=args.lossless, method=4, **kw)
    else:
        img.save(out, **kw)


def make_bad(d):
    os.makedirs(d, exist_ok=True)
    good = photo(640, 480, seed=7)
    good.save(os.path.join(d, "whole.jpg"), quality=90)
    data = open(os.path.join(d, "whole.jpg"), "rb").read()
    open(os.path.join(d, "truncated.jpg"), "wb").write(data[: len(data) // 2])
    open(os.path.join(d, "truncated-header.jpg"), "wb").write(data[:100])
    open(os.path.join(d, "empty.jpg"), "wb").close()
    open(os.path.join(d, "random.jpg"), "wb").write(random.Random(3).randbytes(5000))
    open(os.path.join(d, "text.webp"), "w").write("This is not an image.\n" * 20)
    good.save(os.path.join(d, "whole.webp"), quality=80)
    wdata = open(os.path.join(d, "whole.webp"), "rb").read()
    open(os.path.join(d, "truncated.webp"), "wb").write(wdata[: len(wdata) // 2])
    # A decompression bomb: a valid small JPEG whose frame header claims
    # 65500x65500 (4.3 gigapixels).
    bomb = bytearray(data)
    i = 2
    while i < len(bomb):
        marker, seglen = bomb[i + 1], bomb[i + 2] << 8 | bomb[i + 3]
        if marker == 0xC0:
            bomb[i + 5:i + 9] = (65500).to_bytes(2, "big") * 2
            break
        i += 2 + seglen
    open(os.path.join(d, "bomb.jpg"), "wb").write(bytes(bomb))
    os.remove(os.path.join(d, "whole.jpg"))
    os.remove(os.path.join(d, "whole.webp"))


SAMPLES = [
    # name, size, seed, format options
    ("harbour.jpg", (1024, 683), 11, {}),
    ("tower.jpg", (600, 900), 12, {}),               # portrait
    ("phone-rotated.jpg", (960, 720), 13, {"orientation": 6}),
    ("meadow.webp", (960, 640), 14, {}),
    ("street-grey.jpg", (800, 800), 15, {"mode": "L"}),
    ("hills-progressive.jpg", (1200, 675), 16, {"progressive": True}),
    ("sticker-alpha.webp", (512, 512), 17, {"mode": "RGBA"}),
    ("2023/lake.jpg", (900, 600), 18, {}),
    ("2024/lake.jpg", (640, 480), 19, {}),
    ("tiny.jpg", (200, 150), 20, {}),                # smaller than the box
]


def sample_image(size, seed, opts):
    img = photo(size[0], size[1], seed=seed, detail=0.35)
    if opts.get("mode") == "RGBA":
        mask = Image.new("L", size, 0)
        ImageDraw.Draw(mask).ellipse([size[0] // 10, size[1] // 10,
                                      size[0] * 9 // 10, size[1] * 9 // 10], fill=255)
        img = img.convert("RGBA")
        img.putalpha(mask.filter(ImageFilter.GaussianBlur(6)))
    return img


def make_samples(d):
    for name, size, seed, opts in SAMPLES:
        out = os.path.join(d, name)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        args = argparse.Namespace(quality=82, mode=opts.get("mode"), lossless=False,
                                  orientation=opts.get("orientation"), restart=0,
                                  arithmetic=False, progressive=opts.get("progressive", False))
        img = sample_image(size, seed, opts)
        if args.orientation:  # content made upright, as the viewer shows it
            img = img.resize((size[1], size[0]))
        save(img, out, args)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=["photo", "zoneplate", "bad", "samples"])
    ap.add_argument("out")
    ap.add_argument("--size", default="1024x768")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quality", type=int, default=90)
    ap.add_argument("--mode", choices=["RGB", "L", "CMYK", "RGBA"])
    ap.add_argument("--orientation", type=int, choices=range(1, 9))
    ap.add_argument("--progressive", action="store_true")
    ap.add_argument("--restart", type=int, default=0)
    ap.add_argument("--arithmetic", action="store_true")
    ap.add_argument("--lossless", action="store_true")
    ap.add_argument("--detail", type=float, default=1.0)
    args = ap.parse_args()
    if args.what == "bad":
        return make_bad(args.out)
    if args.what == "samples":
        return make_samples(args.out)
    w, h = (int(v) for v in args.size.lower().split("x"))
    img = photo(w, h, args.seed, args.detail) if args.what == "photo" else zoneplate(w, h)
    if args.mode == "RGBA":
        img = img.convert("RGBA")
        alpha = octave(random.Random(args.seed + 1), w, h, 64)
        img.putalpha(alpha)
        args.mode = None
    save(img, args.out, args)


if __name__ == "__main__":
    main()
