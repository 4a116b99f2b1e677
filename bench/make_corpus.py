#!/usr/bin/python3
"""make_corpus.py - a deterministic corpus of photo-like 4K images for bench/.

Each image is a smooth colour base (two gradients and soft shapes) plus
noise at several scales, so that JPEG at quality 90 lands at about 1.5 to
3 MB per 3840x2160 file, like a real photograph (pure gradients would
compress to a few hundred KB and make every decoder look fast; pure noise
would be 8 MB and unlike any photo).  Everything comes from
random.Random(seed + index), so the same arguments give the same files on
any machine with the same Pillow and libjpeg.

A folder made with the same size, quality, seed and generator (its
corpus.json) is reused: only missing files are made, so asking for more
images later adds to it, and asking for fewer uses the first ones.

usage: make_corpus.py [--out DIR] [--count N] [--webp-count N]
                      [--size WxH] [--quality Q] [--seed S] [--jobs J]
       make_corpus.py --tiny N --out DIR   (N small 64x48 JPEGs; --tiny-size WxH)
"""
import argparse
import json
import multiprocessing
import os
import random
import sys

from PIL import Image, ImageChops, ImageDraw, ImageFilter


def noise_layer(rng, w, h):
    """A grey layer of uniform noise at w x h (bytes from the seeded rng)."""
    return Image.frombytes("L", (w, h), rng.randbytes(w * h))


def octave_noise(rng, size, feature, amplitude):
    """Noise with features about `feature` pixels wide, centred on 128,
    scaled to +-amplitude, as an RGB image with slightly different
    channels (so chroma has texture too)."""
    w, h = size
    cw, ch = max(2, w // feature), max(2, h // feature)
    bands = []
    for _ in range(3):
        small = noise_layer(rng, cw, ch)
        if (cw, ch) != (w, h):
            small = small.resize((w, h), Image.BICUBIC)
        bands.append(small)
    # The luma-like part is shared, so the channels correlate as in photos.
    shared = bands[0]
    rgb = [Image.blend(shared, b, 0.35) for b in bands]
    img = Image.merge("RGB", rgb)
    # Scale the deviation from 128 to +-amplitude: 128 + (v-128)*a/128.
    lut = [max(0, min(255, round(128 + (v - 128) * amplitude / 128)))
           for v in range(256)] * 3
    return img.point(lut)


def add_centered(base, noise):
    """base + (noise - 128), clipped (ImageChops.add with an offset)."""
    return ImageChops.add(base, noise, scale=1.0, offset=-128)


def base_image(rng, size):
    """Smooth colour field: two coloured gradients and soft shapes."""
    w, h = size
    c1 = tuple(rng.randrange(30, 226) for _ in range(3))
    c2 = tuple(rng.randrange(30, 226) for _ in range(3))
    grad = Image.linear_gradient("L").resize((256, 256)).rotate(rng.uniform(0, 360))
    grad = grad.resize(size, Image.BILINEAR)
    img = Image.composite(Image.new("RGB", size, c1), Image.new("RGB", size, c2), grad)
    radial = Image.radial_gradient("L").resize(size, Image.BILINEAR)
    c3 = tuple(rng.randrange(0, 256) for _ in range(3))
    img = Image.composite(img, Image.new("RGB", size, c3), radial.point(lambda v: min(255, v + 60)))
    # Shapes with a mix of sharp and soft edges, like objects in a scene.
    shapes = Image.new("RGB", size)
    mask = Image.new("L", size, 0)
    ds, dm = ImageDraw.Draw(shapes), ImageDraw.Draw(mask)
    for _ in range(rng.randrange(8, 16)):
        x0, y0 = rng.randrange(-w // 4, w), rng.randrange(-h // 4, h)
        x1, y1 = x0 + rng.randrange(w // 20, w // 2), y0 + rng.randrange(h // 20, h // 2)
        colour = tuple(rng.randrange(0, 256) for _ in range(3))
        alpha = rng.randrange(120, 256)
        if rng.random() < 0.5:
            ds.ellipse((x0, y0, x1, y1), fill=colour)
            dm.ellipse((x0, y0, x1, y1), fill=alpha)
        else:
            pts = [(rng.randrange(x0, x1), rng.randrange(y0, y1)) for _ in range(rng.randrange(3, 7))]
            ds.polygon(pts, fill=colour)
            dm.polygon(pts, fill=alpha)
    mask = mask.filter(ImageFilter.GaussianBlur(rng.choice((0.8, 2, 6))))
    img = Image.composite(shapes, img, mask)
    # A few thin lines: edges that must stay crisp in a thumbnail.
    d = ImageDraw.Draw(img)
    for _ in range(rng.randrange(10, 30)):
        d.line([(rng.randrange(w), rng.randrange(h)) for _ in range(2)],
               fill=tuple(rng.randrange(256) for _ in range(3)), width=rng.randrange(1, 6))
    return img


# Bump when the pixels change, so that old corpora are remade.
GENERATOR = 1

# (feature size in pixels, amplitude): blotches down to pixel-level grain.
OCTAVES = ((400, 40), (60, 28), (12, 22), (3, 12), (1, 8))


def make_image(seed, size):
    rng = random.Random(seed)
    img = base_image(rng, size)
    # Multi-scale texture: large blotches down to pixel-level grain.  The
    # fine octaves set the file size; the amplitudes were tuned so that
    # quality 90 gives ~2 MB at 3840x2160.
    for feature, amp in OCTAVES:
        img = add_centered(img, octave_noise(rng, size, feature, amp))
    return img


def jpeg_path(out, index):
    return os.path.join(out, "jpeg", "img%04d.jpg" % index)


def webp_path(out, index):
    return os.path.join(out, "webp", "img%04d.webp" % index)


def build_one(task):
    img = make_image(task["seed"] + task["index"], tuple(task["size"]))
    sizes = []
    if task["jpeg"]:
        path = jpeg_path(task["out"], task["index"])
        img.save(path + ".tmp", "JPEG", quality=task["quality"])
        os.replace(path + ".tmp", path)
        sizes.append(os.path.getsize(path))
    if task["webp"]:
        path = webp_path(task["out"], task["index"])
        img.save(path + ".tmp", "WEBP", quality=task["quality"], method=4)
        os.replace(path + ".tmp", path)
    return sizes


def build_tiny(args):
    """N small JPEGs (for the no-op re-run benchmark): varied, cheap."""
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    w, h = (int(v) for v in args.tiny_size.lower().split("x"))
    for i in range(args.tiny):
        path = os.path.join(args.out, "t%05d.jpg" % i)
        if os.path.exists(path):
            continue
        img = Image.frombytes("RGB", (16, 12), rng.randbytes(16 * 12 * 3)).resize((w, h), Image.BILINEAR)
        img.save(path, "JPEG", quality=80)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, ".corpus"))
    ap.add_argument("--count", type=int, default=200, help="JPEG images (200)")
    ap.add_argument("--webp-count", type=int, default=50, help="WebP images of the same content (50)")
    ap.add_argument("--size", default="3840x2160")
    ap.add_argument("--quality", type=int, default=90)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--tiny", type=int, default=0, help="make N 64x48 JPEGs in --out instead")
    ap.add_argument("--tiny-size", default="64x48", help="the size of --tiny's JPEGs (64x48)")
    args = ap.parse_args()
    if args.tiny:
        return build_tiny(args)
    w, h = (int(v) for v in args.size.lower().split("x"))
    # What the pixels depend on; the counts only say how many files.
    spec = {"size": [w, h], "quality": args.quality, "seed": args.seed,
            "generator": GENERATOR}
    stamp = os.path.join(args.out, "corpus.json")
    try:
        with open(stamp) as f:
            same = json.load(f) == spec
    except (OSError, ValueError):
        same = False
    for sub in ("jpeg", "webp"):
        d = os.path.join(args.out, sub)
        os.makedirs(d, exist_ok=True)
        if not same:  # made by other arguments or another generator: redo
            for f in os.listdir(d):
                os.remove(os.path.join(d, f))
    with open(stamp + ".tmp", "w") as f:
        json.dump(spec, f)
    os.replace(stamp + ".tmp", stamp)
    # Files are written under a temporary name and renamed, so one that
    # exists is complete: only missing files are made.
    todo = []
    for i in range(max(args.count, args.webp_count)):
        want = dict(spec, out=args.out, index=i,
                    jpeg=i < args.count and not os.path.exists(jpeg_path(args.out, i)),
                    webp=i < args.webp_count and not os.path.exists(webp_path(args.out, i)))
        if want["jpeg"] or want["webp"]:
            todo.append(want)
    if not todo:
        print("corpus: reusing %s" % args.out, file=sys.stderr)
        return 0
    print("corpus: making %d files of %dx%d in %s"
          % (sum(t["jpeg"] + t["webp"] for t in todo), w, h, args.out), file=sys.stderr)
    sizes = []
    with multiprocessing.Pool(args.jobs) as pool:
        for s in pool.imap(build_one, todo):
            sizes += s
    if sizes:
        print("corpus: new JPEG sizes %.2f-%.2f MB, mean %.2f MB"
              % (min(sizes) / 1e6, max(sizes) / 1e6, sum(sizes) / len(sizes) / 1e6), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
