#!/usr/bin/python3
"""make_formats.py SRC.png - PNG, GIF and TIFF files of every layout axle
reads, made from SRC (an RGB photo) in the current folder with Pillow, and
by hand where Pillow cannot write the layout (16-bit RGB PNG, tiled and
16-bit TIFF).  Also headers that claim huge images (bombs) and damaged
files.  Names say what each is."""
import struct
import sys
import zlib

from PIL import Image


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png16(path, im):
    """16-bit RGB PNG: each 8-bit sample v becomes v * 257 (its 8-bit value
    is then exactly v)."""
    w, h = im.size
    raw = bytearray()
    px = im.tobytes()
    for y in range(h):
        raw.append(0)
        for v in px[y * w * 3:(y + 1) * w * 3]:
            raw += struct.pack(">H", v * 257)
    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) +
                png_chunk(b"IDAT", zlib.compress(bytes(raw))) + png_chunk(b"IEND", b""))


def png_bomb(path, w, h):
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) +
                png_chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + png_chunk(b"IEND", b""))


def tiff(path, im, bits=8, tile=None, orientation=1):
    """Uncompressed little-endian RGB TIFF, in strips of 16 rows or in
    tiles of tile x tile; 16-bit samples are v * 257."""
    w, h = im.size
    px = im.tobytes()

    def sample_bytes(vals):
        return bytes(vals) if bits == 8 else b"".join(struct.pack("<H", v * 257) for v in vals)

    blocks = []
    if tile:
        for ty in range(0, h, tile):
            for tx in range(0, w, tile):
                data = bytearray()
                for y in range(ty, ty + tile):
                    for x in range(tx, tx + tile):
                        if x < w and y < h:
                            data += sample_bytes(px[(y * w + x) * 3:(y * w + x) * 3 + 3])
                        else:
                            data += sample_bytes([0, 0, 0])
                blocks.append(bytes(data))
    else:
        for y0 in range(0, h, 16):
            rows = px[y0 * w * 3:min(h, y0 + 16) * w * 3]
            blocks.append(sample_bytes(rows))
    out = bytearray(b"II*\0\0\0\0\0")
    offsets = []
    for b in blocks:
        offsets.append(len(out))
        out += b
    extra = len(out)
    out += struct.pack("<HHH", bits, bits, bits)
    arrays = len(out)
    out += b"".join(struct.pack("<I", o) for o in offsets)
    counts = len(out)
    out += b"".join(struct.pack("<I", len(b)) for b in blocks)
    n = len(blocks)
    entries = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, 3, extra), (259, 3, 1, 1),
               (262, 3, 1, 2), (274, 3, 1, orientation), (277, 3, 1, 3),
               (284, 3, 1, 1)]
    if tile:
        entries += [(322, 4, 1, tile), (323, 4, 1, tile), (324, 4, n, arrays),
                    (325, 4, n, counts)]
    else:
        entries += [(273, 4, n, arrays), (278, 4, 1, 16), (279, 4, n, counts)]
    if n == 1:  # a single offset or count is held in the entry
        entries = [(t, k, c, offsets[0] if t in (273, 324) else
                    len(blocks[0]) if t in (279, 325) else v) for t, k, c, v in entries]
    entries.sort()
    if len(out) % 2:
        out += b"\0"
    ifd = len(out)
    out += struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        val = struct.pack("<HH", value, 0) if kind == 3 and count == 1 else struct.pack("<I", value)
        out += struct.pack("<HHI", tag, kind, count) + val
    out += struct.pack("<I", 0)
    out[4:8] = struct.pack("<I", ifd)
    with open(path, "wb") as f:
        f.write(out)


def main():
    src = Image.open(sys.argv[1]).convert("RGB")
    w, h = src.size
    src.save("rgb.png")
    alpha = Image.linear_gradient("L").resize((w, h))
    rgba = src.copy()
    rgba.putalpha(alpha)
    rgba.save("rgba.png")
    src.convert("L").save("grey.png")
    la = src.convert("L")
    la.putalpha(alpha)
    la.save("grey-alpha.png")
    src.convert("P").save("palette.png")
    src.convert("P").save("palette-trns.png", transparency=0)
    src.convert("L").point(lambda v: v).convert("I").point(lambda v: v * 257).convert(
        "I;16").save("grey16.png")
    png16("rgb16.png", src)
    src.save("photo.gif")
    pal = src.convert("P")
    pal.save("trns.gif", transparency=pal.getpixel((0, 0)), optimize=False)
    src.save("strips.tif")
    src.save("lzw.tif", compression="tiff_lzw")
    src.save("deflate.tif", compression="tiff_adobe_deflate")
    rgba.save("rgba.tif")
    src.convert("L").save("grey.tif")
    tiff("tiled.tif", src, tile=64)
    tiff("rgb16.tif", src, bits=16)
    tiff("tiled16.tif", src, bits=16, tile=64)
    tiff("orient6.tif", src, orientation=6)
    png_bomb("bomb.png", 60000, 60000)
    with open("bomb.gif", "wb") as f:  # a 65535x65535 screen, a frame as large
        f.write(b"GIF89a" + struct.pack("<HHBBB", 65535, 65535, 0x80, 0, 0) + b"\0" * 6 +
                b"\x2c" + struct.pack("<HHHHB", 0, 0, 65535, 65535, 0) + b"\x02\x02\x44\x01\0;")
    with open("bomb.tif", "wb") as f:
        entries = [(256, 4, 1, 100000), (257, 4, 1, 100000), (259, 3, 1, 1), (262, 3, 1, 2),
                   (273, 4, 1, 8), (277, 3, 1, 3), (279, 4, 1, 10)]
        ifd = struct.pack("<H", len(entries)) + b"".join(
            struct.pack("<HHII", t, k, c, v) for t, k, c, v in entries) + b"\0\0\0\0"
        f.write(b"II*\0" + struct.pack("<I", 8) + ifd)


if __name__ == "__main__":
    main()
