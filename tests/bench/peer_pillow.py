"""Peer: Pillow, one process over a folder (what a Python pipeline does).

usage: peer_pillow.py flip|rotate|noise|resize IN_DIR OUT_DIR

Every file in IN_DIR is decoded, transformed and written to OUT_DIR in its
own format: JPEG at quality 90 (Pillow's default 4:2:0 sampling, as
augment's), PNG at Pillow's default zlib level 6. noise needs numpy.
resize is to 224x224, bilinear (antialiased, as always in Pillow).
"""
import os
import sys

from PIL import Image

FLIP = getattr(Image, "Transpose", Image).FLIP_LEFT_RIGHT
BILINEAR = getattr(Image, "Resampling", Image).BILINEAR


def transform(op, rng):
    if op == "flip":
        return lambda im: im.transpose(FLIP)
    if op == "resize":
        return lambda im: im.resize((224, 224), BILINEAR)
    if op == "rotate":
        # Same size, black corners: as augment rotate --angle 30.
        return lambda im: im.rotate(30, resample=BILINEAR)
    if op == "noise":
        import numpy as np

        def noise(im):
            # One draw per pixel shared by the channels (imgaug's
            # per_channel=False, augment's default), sigma 10.
            a = np.asarray(im, dtype=np.float32)
            n = rng.standard_normal(a.shape[:2] + (1,), dtype=np.float32) * 10
            return Image.fromarray(np.clip(np.rint(a + n), 0, 255).astype(np.uint8))
        return noise
    sys.exit("peer_pillow: unknown op %s" % op)


def main():
    op, src, dst = sys.argv[1:4]
    rng = None
    if op == "noise":
        import numpy as np
        rng = np.random.default_rng(0)
    fn = transform(op, rng)
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        with Image.open(os.path.join(src, name)) as im:
            out = fn(im)
            path = os.path.join(dst, name)
            if name.lower().endswith((".jpg", ".jpeg")):
                out.save(path, quality=90)
            else:
                out.save(path)


if __name__ == "__main__":
    main()
