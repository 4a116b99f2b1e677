#!/usr/bin/python3
"""pilref.py - PIL's side of the image tests: references and comparisons.

  pilref.py psnr ORIGINAL THUMB      PSNR (dB) of THUMB against Pillow's LANCZOS
                                     resize of ORIGINAL's full-resolution decode,
                                     EXIF orientation applied, at THUMB's size
  pilref.py diff A B                 PSNR and largest difference of two images
  pilref.py orient FILE N OUT.png    FILE with orientation N applied by PIL's
                                     ImageOps.exif_transpose
  pilref.py fit W H BOX_W BOX_H      the size PIL's Image.thumbnail() picks
  pilref.py info FILE                mode WxH of what PIL decodes

Images may be anything PIL opens, or the .axr dumps of image_tool
("AXR W H C\\n" + raw bytes).
"""
import math
import sys

from PIL import Image, ImageChops, ImageOps

MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def load(path):
    with open(path, "rb") as f:
        head = f.read(4)
        if head == b"AXR ":
            line = head + f.readline()
            _, w, h, c = line.split()
            return Image.frombytes(MODES[int(c)], (int(w), int(h)), f.read())
    return Image.open(path)


def comparable(a, b):
    """Both in one mode, alpha flattened on white as the encoder does."""
    def flat(im):
        if im.mode in ("RGBA", "LA"):
            bg = Image.new(im.mode, im.size, (255,) * len(im.mode))
            im = Image.alpha_composite(bg.convert("RGBA"), im.convert("RGBA"))
        return im.convert("RGB") if im.mode not in ("L",) else im
    a, b = flat(a), flat(b)
    if a.mode != b.mode:
        a, b = a.convert("RGB"), b.convert("RGB")
    return a, b


def psnr(a, b):
    a, b = comparable(a, b)
    if a.size != b.size:
        sys.exit(f"size differs: {a.size} vs {b.size}")
    hist = ImageChops.difference(a, b).histogram()
    sq = sum(count * (i % 256) ** 2 for i, count in enumerate(hist))
    n = a.size[0] * a.size[1] * len(a.getbands())
    worst = max((i % 256) for i, count in enumerate(hist) if count)
    mse = sq / n
    return (float("inf") if mse == 0 else 10 * math.log10(255 ** 2 / mse)), worst


def reference(original, size):
    im = ImageOps.exif_transpose(Image.open(original))
    if im.mode == "CMYK":
        im = im.convert("RGB")
    return im.resize(size, Image.LANCZOS)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "psnr":
        thumb = load(args[1])
        db, _ = psnr(reference(args[0], thumb.size), thumb)
        print(f"{db:.2f}")
    elif cmd == "diff":
        db, worst = psnr(load(args[0]), load(args[1]))
        print(f"{db:.2f} {worst}")
    elif cmd == "orient":
        im = Image.open(args[0])
        ex = im.getexif()
        ex[0x0112] = int(args[1])
        im.info["exif"] = ex.tobytes()
        ImageOps.exif_transpose(im).save(args[2])
    elif cmd == "fit":
        w, h, bw, bh = (int(v) for v in args)
        im = Image.new("1", (w, h))
        im.thumbnail((bw, bh), reducing_gap=None)
        print(f"{im.size[0]}x{im.size[1]}")
    elif cmd == "info":
        im = load(args[0])
        print(f"{im.mode} {im.size[0]}x{im.size[1]}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
