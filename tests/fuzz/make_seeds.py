#!/usr/bin/env python3
"""make_seeds.py - writes the seed corpora of fuzz_dataset and fuzz_pipeline
into tests/fuzz/seeds/ (run it after changing the formats; the seeds are
kept in git so that CI fuzzes from the same start every time).

dataset: meta.json, then column files f0, f1, ... each after "\\n--\\n",
         as lib/dataset/dataset_format.h describes them.
pipeline: a pipeline's YAML text, then NAME=VALUE overrides, each after a
         NUL byte.
"""
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEP = b"\n--\n"


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def var_cells(values):
    """string/bytes/json/image cells: None is null."""
    out = b""
    for v in values:
        out += varint(0) if v is None else varint(len(v) + 1) + v
    return out


def fixed_cells(fmt, values):
    """int64/float64/bool cells, with a null bitmap when any is None."""
    out = b"".join(struct.pack(fmt, 0 if v is None else v) for v in values)
    if any(v is None for v in values):
        bits = bytearray((len(values) + 7) // 8)
        for i, v in enumerate(values):
            if v is None:
                bits[i // 8] |= 1 << (i % 8)
        out += bytes(bits)
    return out


def image(codec, w, h, channels, data, orientation=1):
    return struct.pack("<BBBBII", codec, channels, orientation, 0, w, h) + data


def dataset(columns, rows, previous=None, parent=None):
    """columns: [(name, type, [per-slice bytes or None], [per-slice nulls])]."""
    files, meta_cols = [], []
    for name, typ, per_slice, nulls in columns:
        names = []
        for blob in per_slice:
            if blob is None:
                names.append(None)
            else:
                names.append("f%d" % len(files))
                files.append(blob)
        meta_cols.append({"name": name, "type": typ, "location": ".",
                          "files": names, "nulls": nulls, "min": None,
                          "max": None})
    meta = {"format": "axle-dataset", "version": 1, "name": "default",
            "slices": len(rows), "rows": rows, "parent": parent,
            "previous": previous, "columns": meta_cols}
    text = json.dumps(meta, indent=1).encode()
    return SEP.join([text] + files)


def dataset_seeds():
    raw = image(3, 2, 2, 3, bytes(range(12)))
    grey = image(3, 3, 1, 1, b"\x00\x80\xff", orientation=6)
    jpeg = image(1, 8, 8, 3, b"\xff\xd8\xff\xe0" + b"\x00" * 12 + b"\xff\xd9")
    yield "all_types", dataset([
        ("n", "int64", [fixed_cells("<q", [1, None, -5]),
                        fixed_cells("<q", [2**62])], [1, 0]),
        ("x", "float64", [fixed_cells("<d", [0.5, 1e300, None]),
                          fixed_cells("<d", [-2.0])], [1, 0]),
        ("b", "bool", [fixed_cells("<B", [1, 0, 1]),
                       fixed_cells("<B", [None])], [0, 1]),
        ("s", "string", [var_cells([b"a", "\u00e9t\u00e9".encode(), None]),
                         var_cells([b""])], [1, 0]),
        ("raw", "bytes", [var_cells([b"\x00\xff", None, b"xyz"]),
                          var_cells([None])], [1, 1]),
        ("j", "json", [var_cells([b'{"a": 1}', b"[1,2]", b"null"]),
                       var_cells([b'"x"'])], [0, 0]),
        ("img", "image", [var_cells([raw, None, grey]),
                          var_cells([jpeg])], [1, 0]),
    ], [3, 1])
    yield "empty_slice", dataset([
        ("s", "string", [None, var_cells([b"only"])], [0, 0]),
        ("n", "int64", [None, fixed_cells("<q", [7])], [0, 0]),
    ], [0, 1])
    yield "chained", dataset([
        ("img", "image", [var_cells([raw])], [0]),
    ], [1], previous="../gone")
    yield "linked", dataset([
        ("thumb", "image", [var_cells([raw, raw])], [0]),
    ], [2], parent=".")
    many = [i * 7 for i in range(300)]
    yield "many_rows", dataset([
        ("n", "int64", [fixed_cells("<q", many)], [0]),
        ("s", "string", [var_cells([b"x" * (i % 200) for i in range(300)])],
         [0]),
    ], [300])


PIPELINE = """\
workdir: work
slices: 2
params:
  input: photos
  size: [256, 256]
  quality: 85
jobs:
  import:
    method: everything
    options: {files: "${input}", recursive: true, on_error: skip}
  thumbs:
    method: everything
    datasets: {source: import}
    options: {size: "${size}", column: image, upscale: false}
  export:
    method: ./my_export.so
    datasets: {source: thumbs}
    jobs: {job: import}
    options:
      quality: "${quality}"
      format: webp
      name: "thumb-$${size}-${input}.jpg"
      ratio: 0.5
      log: logs/out.txt
"""


def pipeline_seeds():
    yield "thumbnails", PIPELINE.encode()
    yield "overrides", (PIPELINE.encode() + b"\0input=~/pics\0size=[640,338]"
                        b"\0quality=90")
    yield "minimal", b"jobs:\n  a: {method: everything}\n"
    yield "bad_override", PIPELINE.encode() + b"\0nope=1\0size={a: 1}"
    yield "anchors", (b"params: {x: &v [1, 2]}\njobs:\n  a:\n    method: everything"
                      b"\n    options: {size: *v, files: [a, '${x}']}\n"
                      b"  b:\n    method: everything\n    datasets: {source: a/other}\n")
    yield "cycle", (b"jobs:\n  a: {method: everything, datasets: {source: b}}\n"
                    b"  b: {method: everything, datasets: {source: a}}\n")


def write(kind, seeds):
    folder = os.path.join(HERE, "seeds", kind)
    os.makedirs(folder, exist_ok=True)
    for name, data in seeds:
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


def main():
    write("dataset", dataset_seeds())
    write("pipeline", pipeline_seeds())
    return 0


if __name__ == "__main__":
    sys.exit(main())
