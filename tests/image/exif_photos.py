#!/usr/bin/python3
"""exif_photos.py - photos with known EXIF, for the photo metadata columns
of import_images (tests/image/photo_meta.sh) and the seeds of fuzz_exif.

Run with the Python that has PIL ($PYTHON_PIL):

  exif_photos.py full OUT [--big-endian] [--size WxH]
                                           every field (the values below); a
                                           --size photo is noise, so that it
                                           is large (HEIF tests encode it)
  exif_photos.py partial OUT               Make only, and a GPS latitude
                                           without its N/S reference
  exif_photos.py none OUT                  no EXIF at all
  exif_photos.py icc OUT                   no EXIF, lcms2's sRGB profile
  exif_photos.py far OUT.tif               a TIFF whose Exif and GPS IFDs lie
                                           past the first 64 KiB
  exif_photos.py hostile DIR               JPEGs with damaged EXIF (see HOSTILE)
  exif_photos.py seeds DIR                 bare TIFF structures for fuzz_exif

The format follows OUT's extension (.jpg, .png, .webp, .tif).  Good EXIF
is written by Pillow's Image.Exif (nested Exif and GPS IFDs); damaged EXIF
is assembled here byte by byte, since no library writes it.
"""
import os
import random
import struct
import sys

from PIL import Image, ImageCms, TiffImagePlugin

R = TiffImagePlugin.IFDRational


def full_exif():
    ex = Image.Exif()
    ex[0x010F] = "Canon"
    ex[0x0110] = "Canon EOS R5"
    ex[0x8769] = {0x9003: "2024:05:01 12:30:05", 0x9011: "+02:00", 0x9291: "25",
                  0x829A: R(1, 250), 0x829D: R(56, 10), 0x8827: 400,
                  0x920A: R(50, 1), 0xA434: "RF24-105mm F4 L IS USM"}
    ex[0x8825] = {1: "S", 2: (R(33, 1), R(51, 1), R(3564, 100)),
                  3: "E", 4: (R(151, 1), R(12, 1), R(3, 1))}
    return ex


def partial_exif():
    ex = Image.Exif()
    ex[0x010F] = "Nikon"
    ex[0x8825] = {2: (R(48, 1), R(51, 1), R(0, 1))}  # no GPSLatitudeRef
    return ex


def photo(size=(64, 48), noise=False):
    if noise:
        rnd = random.Random(1)
        n = size[0] * size[1] * 3
        return Image.frombytes("RGB", size, bytes(rnd.getrandbits(8) for _ in range(n)))
    return Image.new("RGB", size, (200, 40, 40))


def save(im, out, **kw):
    im.save(out, **kw)


# ---- EXIF by hand --------------------------------------------------------

TYPES = {"ascii": 2, "short": 3, "long": 4, "rational": 5}


def tiff(ifds, big=False):
    """A TIFF structure from IFDs, each a list of (tag, type, count, value):
    value is bytes (placed after the IFD when longer than 4) or an int used
    as the raw 4-byte value/offset field.  IFD i is at the offset returned
    in offsets[i]; an int value 'IFD:n' style is given as ('ifd', n)."""
    e = ">" if big else "<"
    head = (b"MM\0*" if big else b"II*\0") + struct.pack(e + "I", 8)
    # Lay out: IFDs one after the other, each followed by its data.
    sizes = []
    for entries in ifds:
        data = sum(len(v) for (_, _, _, v) in entries if isinstance(v, bytes) and len(v) > 4)
        sizes.append(2 + 12 * len(entries) + 4 + data)
    offsets = []
    at = 8
    for s in sizes:
        offsets.append(at)
        at += s
    out = bytearray(head)
    for i, entries in enumerate(ifds):
        data_at = offsets[i] + 2 + 12 * len(entries) + 4
        body = struct.pack(e + "H", len(entries))
        data = b""
        for tag, typ, count, v in entries:
            if isinstance(v, tuple):  # ('ifd', n): the offset of IFD n
                field = struct.pack(e + "I", offsets[v[1]])
            elif isinstance(v, int):
                field = struct.pack(e + "I", v)
            elif len(v) <= 4:
                field = v.ljust(4, b"\0")
            else:
                field = struct.pack(e + "I", data_at + len(data))
                data += v
            body += struct.pack(e + "HHI", tag, TYPES.get(typ, typ), count) + field
        out += body + struct.pack(e + "I", 0) + data
    return bytes(out)


def rat(e, *pairs):
    return b"".join(struct.pack(e + "II", n, d) for n, d in pairs)


def asc(s):
    return s + b"\0"


HOSTILE = {
    # The Exif IFD pointer points back at IFD0, the GPS pointer at itself.
    "loop": [[(0x010F, "ascii", 6, asc(b"Canon")), (0x8769, "long", 1, ("ifd", 0)),
              (0x8825, "long", 1, ("ifd", 0))]],
    # Every offset past the end of the segment.
    "offsets": [[(0x010F, "ascii", 40, 0x7FFFFFF0), (0x0110, "ascii", 40, 0xFFFFFFFF),
                 (0x8769, "long", 1, 0x10000000), (0x8825, "long", 1, 0xFFFFFFF0)]],
    # Counts that would wrap a 32-bit size: 2^32-1 rationals, ASCII, SHORTs.
    "counts": [[(0x010F, "ascii", 0xFFFFFFFF, 26), (0x8769, "long", 1, ("ifd", 1))],
               [(0x829A, "rational", 0x20000001, 26), (0x8827, "short", 0xFFFFFFFF, 8),
                (0x9003, "ascii", 0x80000000, 8)]],
    # An IFD that claims 65535 entries in a few bytes.
    "entries": None,  # built below
    # Values that are no values: x/0, a latitude past the pole, a date
    # that is no date, an offset that is no offset, ISO 0.
    "values": [[(0x8769, "long", 1, ("ifd", 1)), (0x8825, "long", 1, ("ifd", 2))],
               [(0x829A, "rational", 1, rat("<", (1, 0))),
                (0x829D, "rational", 1, rat("<", (0, 0))),
                (0x920A, "rational", 1, rat("<", (5, 0))), (0x8827, "short", 1, b"\0\0"),
                (0x9003, "ascii", 20, asc(b"2024:13:45 25:61:00")),
                (0x9011, "ascii", 7, asc(b"+99:99"))],
               [(1, "ascii", 2, b"N\0"), (2, "rational", 3, rat("<", (91, 1), (0, 1), (0, 1))),
                (3, "ascii", 2, b"E\0"), (4, "rational", 3, rat("<", (10, 1), (0, 1), (0, 1)))]],
    # Text that is not UTF-8, with control characters; a lens name of
    # 300 characters (cut to the field, on a character boundary).
    "text": [[(0x010F, "ascii", 9, asc(b"Ca\xffn\x01on\x7f")), (0x8769, "long", 1, ("ifd", 1))],
             [(0xA434, "ascii", 301, asc("\u00e9".encode() * 150))]],
    # An unknown type and a type/size mismatch: SHORT where ASCII belongs.
    "types": [[(0x010F, 99, 4, b"abcd"), (0x0110, "short", 2, b"AB\0\0")]],
}


def hostile_tiff(name):
    if name == "entries":
        return b"II*\0" + struct.pack("<IH", 8, 65535) + b"\x0f\x01\x02\x00" * 5
    return tiff(HOSTILE[name])


def jpeg_with_exif(out, exif_tiff):
    save(photo(), out, exif=b"Exif\0\0" + exif_tiff)


def far_tiff(out):
    """IFD0 with a 100 kB ImageDescription before the Exif IFD's data, so
    what the Exif and GPS IFDs hold lies past the import's first read."""
    ex = full_exif()
    ex[0x010E] = "x" * 100000
    save(photo(), out, exif=ex.tobytes())


def main():
    cmd, out = sys.argv[1], sys.argv[2]
    if cmd == "full":
        ex = full_exif()
        if "--big-endian" in sys.argv:
            ex.endian = ">"
        im = photo()
        if "--size" in sys.argv:
            w, h = sys.argv[sys.argv.index("--size") + 1].split("x")
            im = photo((int(w), int(h)), noise=True)
        kw = {"quality": 95} if out.endswith(".jpg") else {}
        save(im, out, exif=ex.tobytes(), **kw)
    elif cmd == "partial":
        save(photo(), out, exif=partial_exif().tobytes())
    elif cmd == "none":
        save(photo(), out)
    elif cmd == "icc":
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        save(photo(), out, icc_profile=srgb.tobytes())
    elif cmd == "far":
        far_tiff(out)
    elif cmd == "hostile":
        os.makedirs(out, exist_ok=True)
        for name in HOSTILE:
            jpeg_with_exif(os.path.join(out, name + ".jpg"), hostile_tiff(name))
    elif cmd == "seeds":
        os.makedirs(out, exist_ok=True)
        for name in HOSTILE:
            with open(os.path.join(out, "hostile-" + name), "wb") as f:
                f.write(hostile_tiff(name))
        for big in (False, True):
            ex = full_exif()
            if big:
                ex.endian = ">"
            with open(os.path.join(out, "full-" + ("mm" if big else "ii")), "wb") as f:
                f.write(ex.tobytes()[6:])  # without "Exif\0\0"
    else:
        sys.exit("exif_photos.py: unknown command " + cmd)


if __name__ == "__main__":
    main()
