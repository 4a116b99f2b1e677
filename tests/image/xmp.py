#!/usr/bin/env python3
"""xmp.py - XMP in JPEG and WebP files, read and removed without axle.

  xmp.py show FILE          the XMP packet (empty when none), via Pillow
  xmp.py field FILE NAME    the text of <axle:NAME> in it
  xmp.py strip IN OUT       IN without its XMP: the JPEG APP1 segment or
                            the WebP "XMP " chunk cut out (VP8X flag off,
                            RIFF size fixed), every other byte kept
  xmp.py same-pixels A B    exit 0 when both decode to the same pixels
"""
import re
import struct
import sys

from PIL import Image

XMP_SIG = b"http://ns.adobe.com/xap/1.0/\x00"


def packet(path):
    im = Image.open(path)
    if im.format == "JPEG":
        for marker, body in im.applist:
            if marker == "APP1" and body.startswith(XMP_SIG):
                return body[len(XMP_SIG):]
        return b""
    xmp = im.info.get("xmp", b"")
    return xmp if isinstance(xmp, bytes) else xmp.encode()


def strip_jpeg(data):
    out, pos = bytearray(data[:2]), 2
    while pos < len(data):
        marker = data[pos + 1]
        if marker == 0xDA:  # the scans: kept whole
            out += data[pos:]
            break
        n = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        seg = data[pos:pos + 2 + n]
        if not (marker == 0xE1 and seg[4:4 + len(XMP_SIG)] == XMP_SIG):
            out += seg
        pos += 2 + n
    return bytes(out)


def strip_webp(data):
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        fourcc, n = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        chunk = data[pos:pos + 8 + n + (n & 1)]
        if fourcc == b"VP8X":
            chunk = chunk[:8] + bytes([chunk[8] & ~0x04]) + chunk[9:]
        if fourcc != b"XMP ":
            chunks.append(chunk)
        pos += 8 + n + (n & 1)
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "show":
        sys.stdout.write(packet(args[0]).decode("utf-8", "replace"))
    elif cmd == "field":
        m = re.search(rb"<axle:%s>([^<]*)</axle:%s>" % (args[1].encode(), args[1].encode()),
                      packet(args[0]))
        print(m.group(1).decode() if m else "")
    elif cmd == "strip":
        data = open(args[0], "rb").read()
        out = strip_jpeg(data) if data[:2] == b"\xff\xd8" else strip_webp(data)
        open(args[1], "wb").write(out)
    elif cmd == "same-pixels":
        a, b = (Image.open(p) for p in args)
        sys.exit(0 if a.mode == b.mode and a.size == b.size and
                 a.tobytes() == b.tobytes() else 1)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
