#!/usr/bin/env python3
"""Would decoding a JPEG at 1/2, 1/4 or 1/8 of its size (libjpeg-turbo's DCT
scaling, what PIL's Image.draft does) before a shrinking resize give the
same bytes as decoding it whole? This measures it, so that the choice in
`augment resize` (always decode whole) rests on numbers.

    /usr/bin/python3 tests/tools/jpeg_scaled_decode.py ../shared/data/images/photos/*.jpg

For each JPEG, scale and target size: the whole decode resized (PIL
bilinear, antialiased: what augment resize does, bit for bit) against the
scaled decode resized to the same target; PSNR, largest difference, and
the share of samples that differ by more than one grey level.
"""
import math
import sys

try:
    import numpy as np
    from PIL import Image
except ImportError as e:  # pragma: no cover - environment problem
    sys.exit(f"jpeg_scaled_decode: needs PIL and NumPy ({e}); try /usr/bin/python3")


def psnr(a, b):
    m = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return math.inf if m == 0 else 10 * math.log10(255 ** 2 / m)


def main():
    worst = math.inf
    for path in sys.argv[1:]:
        with Image.open(path) as full:
            full.load()
            w, h = full.size
            for scale in (2, 4, 8):
                for target in ((w // scale, h // scale), (w // scale - 3, h // scale - 2), (224, 224)):
                    if target[0] > w // scale or target[1] > h // scale or min(target) < 1:
                        continue
                    ref = np.asarray(full.resize(target, Image.BILINEAR))
                    with Image.open(path) as im:
                        im.draft(full.mode, (w // scale, h // scale))
                        im.load()
                        decoded = im.size
                        out = np.asarray(im.resize(target, Image.BILINEAR))
                    d = np.abs(ref.astype(int) - out.astype(int))
                    p = psnr(ref, out)
                    worst = min(worst, p)
                    print(f"{path.split('/')[-1]:24s} 1/{scale}: decoded {decoded[0]}x{decoded[1]}, "
                          f"to {target[0]}x{target[1]}: PSNR {p:5.1f} dB, max diff {d.max():3d}, "
                          f"{100 * (d > 1).mean():4.1f}% of samples off by more than 1")
    print(f"lowest PSNR {worst:.1f} dB: "
          + ("within rounding" if worst >= 50 else "not the same within rounding"))


if __name__ == "__main__":
    main()
