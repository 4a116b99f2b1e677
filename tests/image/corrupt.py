#!/usr/bin/python3
"""corrupt.py - damaged JPEG and WebP files whose headers are whole, so
that the probe accepts them and only the decode can tell.

  corrupt.py DIR

writes into DIR:
  good-jpeg.jpg, good-webp.webp   intact, for the pipeline's other items
  trunc-baseline.jpg              baseline JPEG cut at 2/3 of its data
  trunc-progressive.jpg           progressive JPEG cut at 2/3
  marker-progressive.jpg          progressive JPEG with an undefined marker
                                  (FF 02) inside the data of its third scan
  garbage-baseline.jpg            baseline JPEG with a run of stuffed FF
                                  bytes (all one-bits: never a Huffman code)
                                  in the middle of its entropy-coded data
  corrupt-lossless.webp           lossless WebP with its bitstream overwritten
  trunc-lossy.webp                lossy WebP cut at 2/3 with its sizes
                                  patched to match (the probe cannot tell)
Deterministic: the same bytes every run.
"""
import io
import os
import sys

from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from gen_images import photo  # noqa: E402


def jpeg(img, **kw):
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, **kw)
    return out.getvalue()


def webp(img, **kw):
    out = io.BytesIO()
    img.save(out, "WEBP", **kw)
    return out.getvalue()


def scans(data):
    """(start, end) of each scan's entropy-coded data."""
    out, i = [], 2
    while i + 4 <= len(data):
        marker, seglen = data[i + 1], data[i + 2] << 8 | data[i + 3]
        i += 2 + seglen
        if marker != 0xDA:
            continue
        start = i
        while i + 1 < len(data) and not (data[i] == 0xFF and data[i + 1] not in (0, *range(0xD0, 0xD8))):
            i += 1
        out.append((start, i))
    return out


def sizes_patched(data):
    """A simple WebP ("VP8 " the only chunk) cut short, its RIFF and chunk
    sizes set to what is left, as if it were whole."""
    assert data[12:16] == b"VP8 "
    return (data[:4] + (len(data) - 8).to_bytes(4, "little") + data[8:16] +
            (len(data) - 20).to_bytes(4, "little") + data[20:])


def main(d):
    os.makedirs(d, exist_ok=True)
    img = photo(480, 320, seed=11)
    files = {"good-jpeg.jpg": jpeg(img), "good-webp.webp": webp(img, quality=80)}
    base, prog = jpeg(img), jpeg(img, progressive=True)
    files["trunc-baseline.jpg"] = base[: len(base) * 2 // 3]
    files["trunc-progressive.jpg"] = prog[: len(prog) * 2 // 3]
    s, e = scans(prog)[2]
    mid = (s + e) // 2
    if prog[mid - 1] == 0xFF:
        mid += 1
    files["marker-progressive.jpg"] = prog[:mid] + b"\xff\x02" + prog[mid:]
    s, e = scans(base)[0]
    mid = (s + e) // 2
    if base[mid - 1] == 0xFF:
        mid += 1
    files["garbage-baseline.jpg"] = base[:mid] + b"\xff\x00" * 64 + base[mid + 128:]
    lossless = bytearray(webp(img, lossless=True))
    n = len(lossless)
    lossless[n // 3:n // 3 + 256] = b"\xff" * 256
    files["corrupt-lossless.webp"] = bytes(lossless)
    lossy = webp(img, quality=80)
    files["trunc-lossy.webp"] = sizes_patched(lossy[: len(lossy) * 2 // 3])
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
