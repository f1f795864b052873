#!/usr/bin/env python3
"""Compare `augment rotate` with OpenCV's warpAffine on real images.

Not part of `make check` (it needs OpenCV and NumPy; on Debian they come
with python3-opencv, so run it with the system interpreter):

    /usr/bin/python3 tests/tools/rotate_vs_opencv.py build/augment \\
        ../shared/data/images/photos/astronaut.png [more images...]

For every image, interpolation, border mode and angle it runs
`augment rotate --angle A --interp I --border B IN -o OUT` and builds the
reference with the same matrix: getRotationMatrix2D(((w-1)/2, (h-1)/2), A, 1)
and warpAffine(src, M, (w, h), flags=I, borderMode=B, borderValue=0). With
--expand it also passes --expand and grows the reference canvas the way
augment documents it: ceil(|w cos| + |h sin| - 1e-6) by
ceil(|w sin| + |h cos| - 1e-6), centre mapped to the new centre.

OpenCV samples at 1/32 pixel with fixed-point weights, augment in double
precision, so they agree "to within rounding": PSNR must be >= 40 dB (it is
typically ~59 dB for bilinear/bicubic and ~50 dB for nearest, where a few
rounding ties pick the neighbouring pixel). Multiples of 90 degrees must be
bit-exact whenever they are pixel permutations (expand, or w - h even).
Prints one line per case and exits 1 if any case fails.
"""
import argparse
import itertools
import math
import os
import subprocess
import sys
import tempfile

try:
    import cv2
    import numpy as np
except ImportError as e:  # pragma: no cover - environment problem
    sys.exit(f"rotate_vs_opencv: needs OpenCV and NumPy ({e}); try /usr/bin/python3")

INTERP = {"nearest": cv2.INTER_NEAREST, "bilinear": cv2.INTER_LINEAR, "bicubic": cv2.INTER_CUBIC}
BORDER = {
    "constant": cv2.BORDER_CONSTANT,
    "replicate": cv2.BORDER_REPLICATE,
    "reflect": cv2.BORDER_REFLECT,
    "reflect101": cv2.BORDER_REFLECT_101,
    "wrap": cv2.BORDER_WRAP,
}
MIN_PSNR = 40.0


def reference(img, angle, interp, border, expand):
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), angle, 1.0)
    nw, nh = w, h
    if expand:
        r = math.radians(angle)
        c, s = abs(math.cos(r)), abs(math.sin(r))
        nw = max(1, math.ceil(w * c + h * s - 1e-6))
        nh = max(1, math.ceil(w * s + h * c - 1e-6))
        m[0, 2] += (nw - 1) / 2.0 - (w - 1) / 2.0
        m[1, 2] += (nh - 1) / 2.0 - (h - 1) / 2.0
    channels = 1 if img.ndim == 2 else img.shape[2]
    return cv2.warpAffine(img, m, (nw, nh), flags=INTERP[interp],
                          borderMode=BORDER[border], borderValue=(0,) * channels)


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return math.inf if mse == 0 else 10.0 * math.log10(255.0 ** 2 / mse)


def check(augment, path, img, interp, border, angle, expand, tmp):
    """Run one case, print one line, return True when it passes."""
    out = os.path.join(tmp, "out.png")
    cmd = [augment, "rotate", "--angle", repr(angle), "--interp", interp, "--border", border]
    cmd += (["--expand"] if expand else []) + [path, "-o", out]
    run = subprocess.run(cmd, capture_output=True, text=True)
    label = (f"{os.path.basename(path)} {interp:8s} {border:10s} "
             f"angle {angle:7g}{' expand' if expand else ''}")
    if run.returncode != 0:
        print(f"FAIL {label}: augment exited {run.returncode}: {run.stderr.strip()}")
        return False
    got = cv2.imread(out, cv2.IMREAD_UNCHANGED)
    want = reference(img, angle, interp, border, expand)
    if got is None or got.shape != want.shape:
        print(f"FAIL {label}: shape {None if got is None else got.shape}, want {want.shape}")
        return False
    p = psnr(got, want)
    diff = int(np.max(np.abs(got.astype(int) - want.astype(int))))
    h, w = img.shape[:2]
    quarter = angle % 90.0 == 0.0 and (expand or (w - h) % 2 == 0)
    ok = diff == 0 if quarter else p >= MIN_PSNR
    print(f"{'ok  ' if ok else 'FAIL'} {label}: PSNR {p:6.2f} dB, max |diff| {diff}"
          f"{' (must be exact)' if quarter else ''}")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("augment", help="path to the built augment binary")
    ap.add_argument("images", nargs="+", help="PNG (or other lossless) images")
    ap.add_argument("--angles", default="17,45,-30,90,123.4,180,-90")
    ap.add_argument("--interps", default="nearest,bilinear,bicubic")
    ap.add_argument("--borders", default="constant,replicate,reflect,reflect101,wrap")
    ap.add_argument("--expand", action="store_true", help="also check --expand")
    args = ap.parse_args()

    angles = [float(a) for a in args.angles.split(",")]
    expands = [False, True] if args.expand else [False]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="rotate_vs_opencv.") as tmp:
        for path in args.images:
            img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
            if img is None:
                sys.exit(f"rotate_vs_opencv: cannot read {path}")
            for interp, border, angle, expand in itertools.product(
                    args.interps.split(","), args.borders.split(","), angles, expands):
                failures += not check(args.augment, path, img, interp, border, angle, expand, tmp)
    print(f"rotate_vs_opencv: {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
