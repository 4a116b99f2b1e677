#!/usr/bin/env python3
"""cells.py - the cells of an image column of a dataset, read without axle.

  cells.py DS_DIR COLUMN PREFIX

One line per cell: "slice codec quality WxH bytes file", each cell's
bytes written to PREFIX-S-N.bin (raw pixels: a PNG of them), in slice and
row order.  quality is the one recorded in the cell's header (byte 3).
"""
import json
import os
import sys

from PIL import Image

CODECS = {1: "jpeg", 2: "webp", 3: "raw", 4: "png"}
MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def cells(data):
    pos = 0
    while pos < len(data):
        length, shift = 0, 0
        while True:
            b = data[pos]
            pos += 1
            length |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        yield data[pos:pos + length - 1]
        pos += length - 1


def main():
    ds, column, prefix = sys.argv[1:4]
    meta = json.load(open(os.path.join(ds, "meta.json")))
    col = [c for c in meta["columns"] if c["name"] == column][0]
    for s, name in enumerate(col["files"]):
        if not name:
            continue
        data = open(os.path.join(ds, col["location"], name), "rb").read()
        for n, cell in enumerate(cells(data)):
            codec, ch = cell[0], cell[1]
            w, h = int.from_bytes(cell[4:8], "little"), int.from_bytes(cell[8:12], "little")
            body = cell[12:]
            out = "%s-%d-%d.bin" % (prefix, s, n)
            if codec == 3:
                Image.frombytes(MODES[ch], (w, h), body).save(out, "PNG")
            else:
                open(out, "wb").write(body)
            print(s, CODECS.get(codec, codec), cell[3], "%dx%d" % (w, h), len(body), out)


if __name__ == "__main__":
    main()
