#!/usr/bin/python3
"""exportcheck.py - Pillow's (and libheif's tools') view of exported files.

  exportcheck.py photo OUT.jpg [ICC]  a smooth 800x600 photo, JPEG q95, with
                                      EXIF: Make, Model, orientation 6,
                                      DateTimeOriginal, and an IFD1 thumbnail
                                      (a 64x48 JPEG); ICC embedded if given
  exportcheck.py size FILE            WxH as decoded
  exportcheck.py psnr FILE PHOTO      PSNR (dB) of FILE against Pillow's
                                      LANCZOS resize of PHOTO (orientation
                                      applied) at FILE's size
  exportcheck.py progressive FILE     1 for a progressive JPEG, else 0
  exportcheck.py sampling FILE        Pillow's get_sampling: 0 4:4:4, 2 4:2:0
  exportcheck.py exif FILE            the EXIF as key=value lines ("none"
                                      without): make, model, orientation,
                                      taken, ifd1 (IFD0's link to IFD1),
                                      thumbnail (the IFD1 JPEG's bytes found)
  exportcheck.py icc FILE             SHA-256 of the embedded ICC profile, or
                                      "none"
  exportcheck.py sha FILE             SHA-256 of a file
  exportcheck.py recipe FILE          axle:recipe of the XMP packet in FILE
  exportcheck.py job-recipe JOB.json  the recipe a job recorded

AVIF files are read through heif-convert (libheif's tool): to PNG for the
pixels, to JPEG for the EXIF and the profile it copies over.
"""
import hashlib
import io
import math
import os
import re
import struct
import subprocess
import sys
import tempfile

from PIL import Image, ImageChops, ImageOps, ImageStat, JpegImagePlugin


def thumb_jpeg():
    im = Image.new("RGB", (64, 48), (200, 30, 60))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=50, comment=b"axle-test-ifd1-thumbnail")
    return buf.getvalue()


def exif_block():
    """A little-endian TIFF structure: IFD0 (Make, Model, Orientation,
    ExifIFD), the Exif IFD (DateTimeOriginal), IFD1 (a JPEG thumbnail)
    and the thumbnail's bytes at the end, as cameras lay them out."""
    make, model, taken = b"AxleCam\0", b"X-1 Test\0", b"2024:05:06 07:08:09\0"
    thumb = thumb_jpeg()
    ifd0_at = 8
    ifd0_len = 2 + 4 * 12 + 4
    exif_at = ifd0_at + ifd0_len
    exif_len = 2 + 1 * 12 + 4
    data_at = exif_at + exif_len
    make_at, model_at = data_at, data_at + len(make)
    taken_at = model_at + len(model)
    ifd1_at = taken_at + len(taken)
    ifd1_len = 2 + 3 * 12 + 4
    thumb_at = ifd1_at + ifd1_len

    def entry(tag, typ, count, value):
        return struct.pack("<HHI", tag, typ, count) + value

    def long_(v):
        return struct.pack("<I", v)

    def short(v):
        return struct.pack("<HH", v, 0)

    out = b"II*\0" + long_(ifd0_at)
    out += struct.pack("<H", 4)
    out += entry(0x010F, 2, len(make), long_(make_at))
    out += entry(0x0110, 2, len(model), long_(model_at))
    out += entry(0x0112, 3, 1, short(6))
    out += entry(0x8769, 4, 1, long_(exif_at))
    out += long_(ifd1_at)
    out += struct.pack("<H", 1) + entry(0x9003, 2, len(taken), long_(taken_at)) + long_(0)
    out += make + model + taken
    out += struct.pack("<H", 3)
    out += entry(0x0103, 3, 1, short(6))
    out += entry(0x0201, 4, 1, long_(thumb_at))
    out += entry(0x0202, 4, 1, long_(len(thumb)))
    out += long_(0)
    return out + thumb


def photo(out, icc=None):
    w, h = 800, 600
    im = Image.new("RGB", (w, h))
    px = im.load()
    for y in range(h):
        for x in range(w):
            px[x, y] = (x * 255 // (w - 1), y * 255 // (h - 1),
                        int(128 + 100 * math.sin(x / 90.0) * math.cos(y / 70.0)))
    extra = {"icc_profile": open(icc, "rb").read()} if icc else {}
    im.save(out, "JPEG", quality=95, exif=b"Exif\0\0" + exif_block(), **extra)


def via_heif(path, ext):
    """An AVIF converted by heif-convert; other files as they are."""
    with open(path, "rb") as f:
        head = f.read(12)
    if head[4:8] != b"ftyp":
        return path
    fd, out = tempfile.mkstemp(suffix=ext)
    os.close(fd)
    subprocess.run(["heif-convert", "-q", "95", path, out], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out


def opened(path, ext=".png"):
    return Image.open(via_heif(path, ext))


def psnr(a, b):
    mode = "RGB"
    a, b = a.convert(mode), b.convert(mode)
    d = ImageStat.Stat(ImageChops.difference(a, b)).rms
    mse = sum(v * v for v in d) / len(d)
    return float("inf") if mse == 0 else 10 * math.log10(255 * 255 / mse)


def reference(photo_path, size):
    im = ImageOps.exif_transpose(Image.open(photo_path).convert("RGB"))
    return im.resize(size, Image.LANCZOS)


def tiff_ifd1_link(tiff):
    little = tiff[:2] == b"II"
    e = "<" if little else ">"
    ifd0 = struct.unpack(e + "I", tiff[4:8])[0]
    n = struct.unpack(e + "H", tiff[ifd0:ifd0 + 2])[0]
    at = ifd0 + 2 + 12 * n
    return struct.unpack(e + "I", tiff[at:at + 4])[0]


def exif(path):
    im = opened(path, ".jpg")
    raw = im.info.get("exif")
    if not raw:
        print("none")
        return
    tiff = raw[6:] if raw.startswith(b"Exif\0\0") else raw
    ex = im.getexif()
    print("make=%s" % ex.get(0x010F))
    print("model=%s" % ex.get(0x0110))
    print("orientation=%s" % ex.get(0x0112))
    print("taken=%s" % ex.get_ifd(0x8769).get(0x9003))
    print("ifd1=%d" % (tiff_ifd1_link(tiff) != 0))
    print("thumbnail=%d" % (b"axle-test-ifd1-thumbnail" in tiff))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "photo":
        photo(args[0], args[1] if len(args) > 1 else None)
    elif cmd == "size":
        im = opened(args[0])
        print("%dx%d" % im.size)
    elif cmd == "psnr":
        im = opened(args[0])
        print("%.2f" % psnr(im, reference(args[1], im.size)))
    elif cmd == "progressive":
        print(1 if Image.open(args[0]).info.get("progressive") else 0)
    elif cmd == "sampling":
        print(JpegImagePlugin.get_sampling(Image.open(args[0])))
    elif cmd == "exif":
        exif(args[0])
    elif cmd == "icc":
        icc = opened(args[0], ".jpg").info.get("icc_profile")
        print(hashlib.sha256(icc).hexdigest() if icc else "none")
    elif cmd == "sha":
        print(hashlib.sha256(open(args[0], "rb").read()).hexdigest())
    elif cmd == "recipe":
        m = re.search(rb"<axle:recipe>([^<]*)</axle:recipe>", open(args[0], "rb").read())
        print(m.group(1).decode() if m else "none")
    elif cmd == "job-recipe":
        import json
        print(json.load(open(args[0])).get("recipe", "none"))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
