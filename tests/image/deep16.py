#!/usr/bin/python3
"""deep16.py - 16-bit test images whose detail lies below 8-bit precision,
and their reference thumbnails computed at 16 bits (issue 13: "16-bit
sources are reduced to 8 bits after resizing").

  deep16.py make                 writes rgb16.png (RGB), rgba16.png (RGBA),
                                 greya16.png (grey+alpha), rgb16.tif (RGB,
                                 strips, uncompressed)
  deep16.py make-icc ICC OUT.png  RGB as rgb16.png, with ICC profile ICC
                                 and o6_16.png (RGB, EXIF orientation 6)
  deep16.py check FILE.axr W H [o6]  mean and largest absolute difference of
                                 an image_tool thumbnail from the reference
                                 (W x H as stored; o6: shown turned)
  deep16.py check-ref FILE.axr W H REF.png BITS  the same, the reference made
                                 from REF.png, a 16-bit PNG of BITS-bit
                                 samples (a decoder's view of a 10-bit HEIF)
  deep16.py make-raw OUT.dng tiled|flat  a camera RAW (DNG, written by
                                 make_raw.py's writer) of grey ramps, in 2x2
                                 tiles of one brighter half-size pixel, or
                                 flat at the tiles' mean
  deep16.py diff A.axr B.axr     mean and largest difference of two results

The pattern: bands 64 pixels wide, each at level L (of 255), filled with
2x2 tiles whose pixels are L + 0.45, L + 0.45, L + 0.45 and L + 1.45 in
16-bit units.  Rounded to 8 bits first, a tile is L, L, L, L + 1 (mean
L + 0.25: the resize gives L); averaged at 16 bits it is L + 0.7 (L + 1).
So a pipeline that reduces before resizing is one level off nearly
everywhere, and one that reduces after is not.  The reference is
Pillow's LANCZOS of the 16-bit values as floats ("F" images), rounded.
Written by hand (zlib, struct): no numpy, and Pillow writes no 16-bit RGB.
"""
import os
import struct
import sys
import zlib

from PIL import Image

W, H = 960, 320
ALPHA = 40000  # 16-bit alpha of the RGBA and grey+alpha files


def level(x, c):
    """The band level of column x in channel c (0 R / grey, 1 G, 2 B)."""
    band = x // 64
    return [20 + 14 * band, 25 + 13 * band, 230 - 14 * band][c]


def sample(x, y, c):
    frac = 1.45 if (x % 2, y % 2) == (1, 1) else 0.45
    return round((level(x, c) + frac) * 257)


def rows(channels):
    colours = 1 if channels in (1, 2) else 3
    for y in range(H):
        row = []
        for x in range(W):
            row += [sample(x, y, c) for c in range(colours)]
            if channels in (2, 4):
                row.append(ALPHA)
        yield row


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def exif_orientation(o):
    """A bare TIFF structure with IFD0's Orientation tag (PNG's eXIf)."""
    return b"MM\0*" + struct.pack(">IHHHIHHI", 8, 1, 0x0112, 3, 1, o, 0, 0)


def write_png(path, channels, icc=None, exif=None):
    colour_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    raw = b"".join(b"\0" + struct.pack(">%dH" % len(r), *r) for r in rows(channels))
    ihdr = struct.pack(">IIBBBBB", W, H, 16, colour_type, 0, 0, 0)
    iccp = chunk(b"iCCP", b"profile\0\0" + zlib.compress(icc)) if icc else b""
    iccp += chunk(b"eXIf", exif) if exif else b""
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + iccp +
                chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def write_tiff(path):
    """Little-endian, one strip, uncompressed RGB with 16-bit samples."""
    data = b"".join(struct.pack("<%dH" % len(r), *r) for r in rows(3))
    entries = [(256, 4, 1, W), (257, 4, 1, H), (258, 3, 3, None), (259, 3, 1, 1),
               (262, 3, 1, 2), (273, 4, 1, None), (277, 3, 1, 3), (278, 4, 1, H),
               (279, 4, 1, len(data)), (284, 3, 1, 1)]
    ifd_at = 8
    ifd_len = 2 + 12 * len(entries) + 4
    bps_at = ifd_at + ifd_len
    data_at = bps_at + 6
    out = bytearray(b"II*\0" + struct.pack("<I", ifd_at))
    out += struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        if tag == 258:
            value = bps_at
        elif tag == 273:
            value = data_at
        if kind == 3 and count == 1:
            out += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, kind, count, value)
    out += struct.pack("<I", 0)
    out += struct.pack("<3H", 16, 16, 16)
    out += data
    with open(path, "wb") as f:
        f.write(out)


def source_levels(c):
    """Channel c of the made images in levels (of 255), row by row."""
    return [sample(x, y, c) / 257.0 for y in range(H) for x in range(W)]


def reference(channels, w, h, levels=source_levels, size=(W, H)):
    """Per channel: the 16-bit values in levels, resized as floats, rounded."""
    colours = 1 if channels in (1, 2) else 3
    bands = []
    for c in range(colours):
        im = Image.new("F", size)
        im.putdata(levels(c))
        bands.append(im.resize((w, h), Image.LANCZOS))
    return bands


def unfilter(kind, line, prev, bpp):
    """PNG's row filters undone in place (None, Sub, Up, Average, Paeth)."""
    for i in range(len(line)) if kind else ():
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        if kind == 1:
            p = a
        elif kind == 2:
            p = b
        elif kind == 3:
            p = (a + b) >> 1
        else:
            c = prev[i - bpp] if i >= bpp else 0
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        line[i] = (line[i] + p) & 255


def read_png16(path):
    """(width, height, channels, samples) of a 16-bit RGB(A) PNG without
    interlacing: Pillow reads such files as 8-bit."""
    with open(path, "rb") as f:
        data = f.read()
    pos, idat, head = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", data[pos + 8:pos + 21])
        elif kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    if not head or head[2] != 16 or head[3] not in (2, 6) or head[6]:
        sys.exit("%s is not a 16-bit RGB or RGBA PNG without interlacing" % path)
    w, h, ch = head[0], head[1], 3 if head[3] == 2 else 4
    raw, stride = zlib.decompress(idat), w * ch * 2
    prev, samples = bytearray(stride), []
    for y in range(h):
        at = y * (stride + 1)
        line = bytearray(raw[at + 1:at + 1 + stride])
        unfilter(raw[at], line, prev, ch * 2)
        samples += struct.unpack(">%dH" % (w * ch), line)
        prev = line
    return w, h, ch, samples


def decoded_levels(ref, bits):
    """levels() for check-ref: REF.png's samples as the BITS-bit values a
    decoder gave (however it widened them to 16 bits), in levels."""
    rw, rh, ch, samples = read_png16(ref)
    top = (1 << bits) - 1
    return (rw, rh), lambda c: [(v >> (16 - bits)) * 255.0 / top for v in samples[c::ch]]


def read_axr(path):
    with open(path, "rb") as f:
        head = f.readline().split()
        return int(head[1]), int(head[2]), int(head[3]), f.read()


def check(path, w, h, turned=False, decoded=None):
    aw, ah, ac, px = read_axr(path)
    if (aw, ah) != ((h, w) if turned else (w, h)):
        sys.exit("%s is %dx%d, not as wanted" % (path, aw, ah))
    colours = 1 if ac in (1, 2) else 3
    total, worst, n = 0.0, 0.0, 0
    size, levels = decoded if decoded else ((W, H), source_levels)
    for c, band in enumerate(reference(ac, w, h, levels, size)):
        if turned:  # EXIF orientation 6: turned 90 degrees clockwise
            band = band.transpose(Image.ROTATE_270)
        ref = list(band.getdata())
        for i, r in enumerate(ref):
            want = min(255, max(0, int(r + 0.5)))
            d = abs(px[i * ac + c] - want)
            total += d
            worst = max(worst, d)
            n += 1
    if ac in (2, 4):  # alpha: 40000 / 257 rounded
        for i in range(w * h):
            worst = max(worst, abs(px[i * ac + ac - 1] - round(ALPHA / 257)))
    assert colours
    print("%.3f %d" % (total / n, worst))


# The camera RAW: a sensor of RW x RH, grey (every Bayer site alike), half
# of it shown by libraw's half-size demosaic (a 2x2 cell one pixel).
RW, RH = 1920, 640


def linear(level):
    """Sensor value (16 bits, linear) that sRGB's curve shows as `level`."""
    c = level / 255.0
    return 65535 * (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)


def sensor(x, y, tiled):
    """Seven bands, each a ramp that rises four levels from top to bottom
    (so the levels' fractions take every value), in 4x4 sensor tiles of
    which one 2x2 cell (one shown pixel) is a level brighter; flat, the
    tile's mean.  The eighth band is white, so that libraw's brightening
    (white at the 99th percentile) is the same for both files."""
    band = x * 8 // RW
    if band == 7:
        return 65535
    level = 50 + 20 * band + 4.0 * y / RH
    base, step = linear(level), linear(level + 1) - linear(level)
    if not tiled:
        return round(base + step / 4)
    return round(base + step if x % 4 < 2 and y % 4 < 2 else base)


def write_raw(path, tiled):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.dont_write_bytecode = True  # the source tree stays as it was
    import make_raw
    data = b"".join(struct.pack("<%dH" % RW, *[sensor(x, y, tiled) for x in range(RW)])
                    for y in range(RH))
    t = make_raw.Tiff()
    raw = t.ifd(make_raw.raw_entries(RW, RH, 0, len(data), True, "Axle", 1))
    t.first(raw)
    t.patch(raw, 273, t.put(data))
    with open(path, "wb") as f:
        f.write(t.buf)


def diff(a, b):
    aw, ah, ac, pa = read_axr(a)
    if (aw, ah, ac) != read_axr(b)[:3]:
        sys.exit("%s and %s differ in size" % (a, b))
    pb = read_axr(b)[3]
    d = [abs(x - y) for x, y in zip(pa, pb)]
    print("%.3f %d" % (sum(d) / len(d), max(d)))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        write_png("rgb16.png", 3)
        write_png("rgba16.png", 4)
        write_png("greya16.png", 2)
        write_tiff("rgb16.tif")
        write_png("o6_16.png", 3, exif=exif_orientation(6))
    elif sys.argv[1] == "make-icc":
        with open(sys.argv[2], "rb") as f:
            write_png(sys.argv[3], 3, f.read())
    elif sys.argv[1] == "check":
        check(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:] == ["o6"])
    elif sys.argv[1] == "check-ref":
        check(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
              decoded=decoded_levels(sys.argv[5], int(sys.argv[6])))
    elif sys.argv[1] == "make-raw":
        write_raw(sys.argv[2], sys.argv[3] == "tiled")
    elif sys.argv[1] == "diff":
        diff(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
