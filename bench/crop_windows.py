#!/usr/bin/python3
"""crop_windows.py - photos for bench/crop_windows.sh, and where each
tool's crop window lies.

  crop_windows.py photos DIR --count N [--seed S]
      N varied photo-like JPEGs: a smooth background with one to three
      subjects (a busy texture, a face-like skin-tone ellipse, saturated
      flowers, a dark silhouette) at random places, landscape and
      portrait, so that where the window goes matters.
  crop_windows.py compare PHOTOS BOX_W BOX_H NAME=DIR ... --against NAME
      Finds each crop (DIR/STEM.*) in the photo scaled to cover the box
      (Pillow, Lanczos) by the offset with the least mean absolute
      difference, and prints per tool how often its window overlaps the
      reference tool's (--against) window by IoU >= 0.5, with the median
      IoU and the overlap fraction (intersection / window area) >= 0.5.

The windows are compared in the covering frame, where both tools cut a
BOX_W x BOX_H window: a fill crop keeps one side whole, so the window
moves along one axis only.
"""
import argparse
import glob
import os
import random
import statistics
import sys

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

SHAPES = [(1600, 1000), (1000, 1600), (1500, 1000), (1200, 900), (2000, 1000),
          (900, 1350)]


def smooth_noise(rng, w, h, cell, mode="L"):
    """Noise with features about `cell` pixels wide."""
    sw, sh = max(2, w // cell), max(2, h // cell)
    bands = 3 if mode == "RGB" else 1
    small = Image.frombytes(mode, (sw, sh), rng.randbytes(sw * sh * bands))
    return small.resize((w, h), Image.BICUBIC)


def background(rng, w, h):
    """A muted two-colour gradient (sky to ground) with soft texture."""
    top = tuple(rng.randrange(90, 200) for _ in range(3))
    bottom = tuple(rng.randrange(40, 150) for _ in range(3))
    grad = Image.linear_gradient("L").resize((w, h))
    img = Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top),
                          grad)
    soft = smooth_noise(rng, w, h, max(w, h) // 6, "RGB")
    return Image.blend(img, soft, 0.12)


def texture(rng, img, box):
    """A busy patch: fine noise in many tones (entropy's favourite)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    patch = Image.merge("RGB", [smooth_noise(rng, w, h, rng.choice([2, 3, 5]))
                                for _ in range(3)])
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w - 1, h - 1), radius=min(w, h) // 5,
                                           fill=255)
    img.paste(patch, (x0, y0), mask)


def face(rng, img, box):
    """A skin-tone ellipse with darker eyes and mouth (attention's)."""
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = box
    skin = rng.choice([(224, 172, 140), (198, 134, 96), (141, 85, 60), (241, 194, 166)])
    d.ellipse(box, fill=skin)
    w, h = x1 - x0, y1 - y0
    for ex in (0.32, 0.68):
        cx, cy = x0 + ex * w, y0 + 0.4 * h
        d.ellipse((cx - w * 0.07, cy - h * 0.04, cx + w * 0.07, cy + h * 0.04), fill=(40, 30, 30))
    d.ellipse((x0 + 0.35 * w, y0 + 0.68 * h, x0 + 0.65 * w, y0 + 0.78 * h), fill=(150, 60, 60))


def flowers(rng, img, box):
    """Saturated discs with hard edges."""
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = box
    r = max(8, (x1 - x0) // 6)
    for _ in range(rng.randrange(5, 12)):
        cx, cy = rng.randrange(x0, x1), rng.randrange(y0, y1)
        colour = rng.choice([(230, 20, 40), (250, 200, 0), (200, 0, 200), (0, 90, 240),
                             (250, 110, 0)])
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour, outline=(20, 20, 20), width=3)


def silhouette(rng, img, box):
    """A dark, flat shape: edges but little texture or colour."""
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = box
    d.polygon([(x0, y1), ((x0 + x1) // 2, y0), (x1, y1)], fill=(25, 25, 30))


SUBJECTS = [texture, face, flowers, silhouette]


def photo(rng):
    w, h = rng.choice(SHAPES)
    img = background(rng, w, h)
    short = min(w, h)
    for _ in range(rng.choice([1, 1, 2, 3])):
        size = int(short * rng.uniform(0.25, 0.55))
        x0, y0 = rng.randrange(0, w - size), rng.randrange(0, h - size)
        rng.choice(SUBJECTS)(rng, img, (x0, y0, x0 + size, y0 + size))
    grain = smooth_noise(rng, w, h, 1)
    return Image.blend(img, Image.merge("RGB", [grain] * 3), 0.04)


def make_photos(args):
    os.makedirs(args.dir, exist_ok=True)
    for i in range(args.count):
        path = os.path.join(args.dir, f"photo{i:03d}.jpg")
        if not os.path.exists(path):
            photo(random.Random(args.seed * 100003 + i)).save(path, quality=90)


def covering(img, bw, bh):
    """The photo scaled so that both sides cover the box (as a fill crop)."""
    s = max(bw / img.width, bh / img.height)
    return img.resize((max(bw, round(img.width * s)), max(bh, round(img.height * s))),
                      Image.LANCZOS)


def locate(ref, crop):
    """The (x, y) in `ref` where `crop` matches best (grey, mean |diff|)."""
    ref, crop = ref.convert("L"), crop.convert("L")
    best = None
    for y in range(0, ref.height - crop.height + 1):
        for x in range(0, ref.width - crop.width + 1):
            diff = ImageChops.difference(ref.crop((x, y, x + crop.width, y + crop.height)),
                                         crop)
            score = ImageStat.Stat(diff).mean[0]
            if best is None or score < best[0]:
                best = (score, x, y)
    return best[1], best[2]


def iou_and_overlap(a, b, w, h):
    ix = max(0, min(a[0], b[0]) + w - max(a[0], b[0]))
    iy = max(0, min(a[1], b[1]) + h - max(a[1], b[1]))
    inter = ix * iy
    return inter / (2 * w * h - inter), inter / (w * h)


def find(dirname, stem):
    hits = sorted(glob.glob(os.path.join(dirname, stem + ".*")))
    return hits[0] if hits else None


def compare(args):
    tools = dict(t.split("=", 1) for t in args.tools)
    if args.against not in tools:
        sys.exit(f"--against {args.against}: not among the tools given")
    stats = {name: [] for name in tools if name != args.against}
    fracs = {name: [] for name in stats}
    for path in sorted(glob.glob(os.path.join(args.photos, "*.jpg"))):
        stem = os.path.splitext(os.path.basename(path))[0]
        ref = covering(Image.open(path).convert("RGB"), args.w, args.h)
        windows = {}
        for name, dirname in tools.items():
            crop_path = find(dirname, stem)
            if crop_path is None:
                sys.exit(f"{name}: no crop of {stem} in {dirname}")
            crop = Image.open(crop_path).convert("RGB")
            if crop.size != (args.w, args.h):
                sys.exit(f"{name}: {crop_path} is {crop.width}x{crop.height}, "
                         f"not {args.w}x{args.h}")
            windows[name] = locate(ref, crop)
        for name in stats:
            iou, frac = iou_and_overlap(windows[name], windows[args.against], args.w, args.h)
            stats[name].append(iou)
            fracs[name].append(frac)
            if args.verbose:
                print(f"{stem} {name} {windows[name]} {args.against} "
                      f"{windows[args.against]} iou {iou:.2f}", file=sys.stderr)
    print("| tool | vs | photos | IoU >= 0.5 | median IoU | overlap >= 0.5 |")
    print("|---|---|---|---|---|---|")
    for name in tools:
        if name == args.against:
            continue
        ious = stats[name]
        n = len(ious)
        good = sum(1 for v in ious if v >= 0.5)
        over = sum(1 for v in fracs[name] if v >= 0.5)
        print(f"| {name} | {args.against} | {n} | {good} ({100 * good / n:.0f}%) | "
              f"{statistics.median(ious):.2f} | {over} ({100 * over / n:.0f}%) |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("photos")
    p.add_argument("dir")
    p.add_argument("--count", type=int, default=60)
    p.add_argument("--seed", type=int, default=14)
    c = sub.add_parser("compare")
    c.add_argument("photos")
    c.add_argument("w", type=int)
    c.add_argument("h", type=int)
    c.add_argument("tools", nargs="+", help="NAME=DIR")
    c.add_argument("--against", required=True)
    c.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    make_photos(args) if args.cmd == "photos" else compare(args)


if __name__ == "__main__":
    main()
