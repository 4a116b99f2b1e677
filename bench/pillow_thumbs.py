#!/usr/bin/python3
"""pillow_thumbs.py - the Pillow anchor of bench/thumbs.sh: what a user
with a Python script would run.  A pool of as many processes as CPUs;
each image: open, draft() (JPEG shrink-on-load; a no-op for WebP),
exif_transpose, thumbnail() with Pillow's default resampling, save as
JPEG quality 85.

usage: pillow_thumbs.py [-j J] W H OUTDIR FILE...
"""
import os
import sys
import time
from multiprocessing import Pool

from PIL import Image, ImageOps

SIZE = None
OUT = None


def init(size, out):
    global SIZE, OUT
    SIZE, OUT = size, out


def thumb(path):
    with Image.open(path) as im:
        im.draft("RGB", SIZE)
        im = ImageOps.exif_transpose(im)
        im.thumbnail(SIZE)
        if im.mode != "RGB":
            im = im.convert("RGB")
        name = os.path.splitext(os.path.basename(path))[0] + ".jpg"
        im.save(os.path.join(OUT, name), "JPEG", quality=85)
    return 1


def main(argv):
    jobs = os.cpu_count()
    if len(argv) > 1 and argv[1] == "-j":
        jobs = int(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    size = (int(argv[1]), int(argv[2]))
    out, files = argv[3], argv[4:]
    os.makedirs(out, exist_ok=True)
    t0 = time.monotonic()
    with Pool(jobs, initializer=init, initargs=(size, out)) as pool:
        n = sum(pool.imap_unordered(thumb, files, chunksize=4))
    t = time.monotonic() - t0
    print("images=%d seconds=%.4f rate=%.1f" % (n, t, n / t))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
