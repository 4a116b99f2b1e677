#!/usr/bin/python3
"""colourref.py - Pillow's side of the colour tests.

  colourref.py embed IN PROFILE.icc OUT      IN's pixels saved as OUT (.jpg q95,
                                             .webp lossless) with PROFILE embedded
  colourref.py mad ORIGINAL THUMB            mean absolute difference (levels) of
                                             THUMB from the sRGB reference: ORIGINAL
                                             decoded at full size, converted from its
                                             embedded profile to sRGB by ImageCms
                                             (perceptual), then Pillow's LANCZOS
                                             resize to THUMB's size
  colourref.py mad-plain ORIGINAL THUMB      the same without the conversion (what a
                                             thumbnail that ignores the profile gets)
  colourref.py diff A B                      mean absolute difference of two images

Images may be anything PIL opens, or image_tool's .axr dumps.
"""
import io
import sys

from PIL import Image, ImageChops, ImageCms

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pilref import load  # noqa: E402  (reads .axr too)


def embed(src, profile, out):
    im = Image.open(src)
    im.load()
    with open(profile, "rb") as f:
        icc = f.read()
    if out.endswith(".webp"):
        im.save(out, lossless=True, icc_profile=icc)
    else:
        im.save(out, quality=95, icc_profile=icc)


def to_srgb(im):
    icc = im.info.get("icc_profile")
    if not icc:
        return im
    src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    if im.mode == "L":
        # sRGB's grey: Pillow builds no grey profile, so go through RGB,
        # whose neutral axis is sRGB's curve, and back to one channel.
        rgb = ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"),
                                        outputMode="RGB")
        return rgb.getchannel(0)
    return ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"),
                                     renderingIntent=0,
                                     outputMode="RGB" if im.mode == "CMYK" else None)


def mad(a, b):
    if a.size != b.size:
        sys.exit(f"size differs: {a.size} vs {b.size}")
    if a.mode != b.mode:
        a, b = a.convert("RGB"), b.convert("RGB")
    hist = ImageChops.difference(a, b).histogram()
    total = sum(count * (i % 256) for i, count in enumerate(hist))
    return total / (a.size[0] * a.size[1] * len(a.getbands()))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "embed":
        embed(*args)
    elif cmd in ("mad", "mad-plain"):
        orig = Image.open(args[0])
        orig.load()
        thumb = load(args[1])
        full = to_srgb(orig) if cmd == "mad" else orig
        print(f"{mad(full.resize(thumb.size, Image.LANCZOS), thumb):.3f}")
    elif cmd == "diff":
        print(f"{mad(load(args[0]), load(args[1])):.3f}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
