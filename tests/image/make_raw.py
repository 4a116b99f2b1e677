#!/usr/bin/python3
"""make_raw.py - camera RAW files for the tests, written from the DNG 1.4
specification (a TIFF/EP structure) since no Debian tool writes one.

  make_raw.py SRC.png OUT.dng [--preview PREVIEW.jpg] [--orientation N]
              [--make MAKE]

The sensor data is SRC's colours made linear and sampled through an RGGB
Bayer pattern (16 bits, uncompressed), with a colour matrix that says the
camera's space is linear sRGB (D65) and a neutral white balance: a correct
demosaic gives SRC back, up to the demosaic's own softness.  With
--preview, the first directory is that JPEG (full colour, the way cameras
store their preview) and the sensor data is in a SubIFD; without it, the
first directory is the sensor data.
"""
import argparse
import struct

from PIL import Image

SHORT, LONG, RATIONAL, SRATIONAL, BYTE, ASCII, UNDEFINED = 3, 4, 5, 10, 1, 2, 7
SIZES = {BYTE: 1, ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8, SRATIONAL: 8, UNDEFINED: 1}
FORMATS = {BYTE: "B", SHORT: "H", LONG: "I"}

# XYZ (D65) to linear sRGB: the DNG ColorMatrix1 of a camera that sees
# linear sRGB.
XYZ_TO_SRGB = [3.2406, -1.5372, -0.4986, -0.9689, 1.8758, 0.0415, 0.0557, -0.2040, 1.0570]


def linear(v):
    c = v / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def mosaic(src):
    """RGGB samples, 16 bits little-endian, row by row (slices of each
    channel's rows: fast enough for camera-sized images)."""
    r, g, b = (c.tobytes() for c in src.convert("RGB").split())
    w, h = src.size
    samples = bytearray(w * h)
    for y in range(h):
        row = y * w
        first, second = (r, g) if y % 2 == 0 else (g, b)
        samples[row:row + w:2] = first[row:row + w:2]
        samples[row + 1:row + w:2] = second[row + 1:row + w:2]
    lut = [struct.pack("<H", round(linear(v) * 65535)) for v in range(256)]
    return b"".join(map(lut.__getitem__, samples))


def value_bytes(typ, values):
    if typ in (ASCII, UNDEFINED):
        data = values.encode() + b"\0" if isinstance(values, str) else bytes(values)
        return data, len(data)
    if typ in (RATIONAL, SRATIONAL):
        data = b""
        for v in values:
            den = 10000
            data += struct.pack("<ii" if typ == SRATIONAL else "<II", round(v * den), den)
        return data, len(values)
    return b"".join(struct.pack("<" + FORMATS[typ], v) for v in values), len(values)


class Tiff:
    """A little-endian TIFF built in memory: data blocks, then IFDs."""

    def __init__(self):
        self.buf = bytearray(b"II*\0\0\0\0\0")

    def put(self, data):
        if len(self.buf) % 2:
            self.buf += b"\0"
        at = len(self.buf)
        self.buf += data
        return at

    def ifd(self, entries, next_ifd=0):
        """entries: {tag: (type, values)}; returns the IFD's offset."""
        blobs = []
        for tag in sorted(entries):
            typ, values = entries[tag]
            data, count = value_bytes(typ, values)
            blobs.append((tag, typ, count, data))
        # Values longer than 4 bytes go before the IFD.
        laid = []
        for tag, typ, count, data in blobs:
            if len(data) > 4:
                laid.append((tag, typ, count, struct.pack("<I", self.put(data))))
            else:
                laid.append((tag, typ, count, data.ljust(4, b"\0")))
        body = struct.pack("<H", len(laid))
        for tag, typ, count, field in laid:
            body += struct.pack("<HHI", tag, typ, count) + field
        body += struct.pack("<I", next_ifd)
        return self.put(body)

    def first(self, at):
        struct.pack_into("<I", self.buf, 4, at)

    def patch(self, ifd, tag, value):
        """Sets the inline LONG value of `tag` in the IFD at `ifd`."""
        n = struct.unpack_from("<H", self.buf, ifd)[0]
        for i in range(n):
            at = ifd + 2 + 12 * i
            if struct.unpack_from("<H", self.buf, at)[0] == tag:
                struct.pack_into("<I", self.buf, at + 8, value)
                return
        raise KeyError(tag)


def raw_entries(w, h, strip, size, first, make, orientation):
    e = {
        254: (LONG, [0]),
        256: (LONG, [w]), 257: (LONG, [h]), 258: (SHORT, [16]), 259: (SHORT, [1]),
        262: (SHORT, [32803]), 273: (LONG, [strip]), 277: (SHORT, [1]),
        278: (LONG, [h]), 279: (LONG, [size]), 284: (SHORT, [1]),
        33421: (SHORT, [2, 2]), 33422: (BYTE, [0, 1, 1, 2]),
        50714: (LONG, [0]), 50717: (LONG, [65535]),
    }
    if first:
        e.update(camera_entries(make, orientation))
    return e


def camera_entries(make, orientation):
    return {
        271: (ASCII, make), 272: (ASCII, "Test Camera"), 274: (SHORT, [orientation]),
        50706: (BYTE, [1, 4, 0, 0]), 50707: (BYTE, [1, 1, 0, 0]),
        50708: (ASCII, make + " Test Camera"),
        50721: (SRATIONAL, XYZ_TO_SRGB), 50778: (SHORT, [21]),
        50728: (RATIONAL, [1, 1, 1]),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--preview")
    ap.add_argument("--orientation", type=int, default=1)
    ap.add_argument("--make", default="Axle")
    a = ap.parse_args()
    src = Image.open(a.src)
    w, h = src.size
    # Directories first, pixel data after them, as cameras lay files out
    # (a cut file keeps its headers); offsets are patched in at the end.
    t = Tiff()
    data = mosaic(src)
    if not a.preview:
        raw = t.ifd(raw_entries(w, h, 0, len(data), True, a.make, a.orientation))
        t.first(raw)
    else:
        jpeg = open(a.preview, "rb").read()
        pw, ph = Image.open(a.preview).size
        raw = t.ifd(raw_entries(w, h, 0, len(data), False, a.make, a.orientation))
        e = {
            254: (LONG, [1]), 256: (LONG, [pw]), 257: (LONG, [ph]),
            258: (SHORT, [8, 8, 8]), 259: (SHORT, [7]), 262: (SHORT, [6]),
            273: (LONG, [0]), 277: (SHORT, [3]), 278: (LONG, [ph]),
            279: (LONG, [len(jpeg)]), 330: (LONG, [raw]),
        }
        e.update(camera_entries(a.make, a.orientation))
        first = t.ifd(e)
        t.first(first)
        t.patch(first, 273, t.put(jpeg))
    t.patch(raw, 273, t.put(data))
    open(a.out, "wb").write(t.buf)


if __name__ == "__main__":
    main()
