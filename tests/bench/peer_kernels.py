"""make bench, kernels: OpenCV and numpy on the same images as
tests/bench/kernels.c (512x512 and 4000x3000 RGB, in memory, one thread),
best of N, one line per measurement: NAME SIZE MS."""
import sys
import time

import numpy as np

try:
    import cv2
    cv2.setNumThreads(1)
except ImportError:  # numpy lines only
    cv2 = None


def best(fn, n):
    t = 1e30
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - t0)
    return t * 1e3


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    rng = np.random.default_rng(1)
    for w, h in ((512, 512), (4000, 3000)):
        n = reps if w == 512 else max(2, reps // 3)
        img = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
        out = np.empty_like(img)
        size = "%dx%d" % (w, h)
        lines = [("numpy_copy", lambda: np.copyto(out, img))]
        if cv2 is not None:
            m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), 30, 1)
            noise16 = np.empty((h, w, 3), np.int16)
            lines += [
                ("cv2_flip_h", lambda: cv2.flip(img, 1, dst=out)),
                ("cv2_flip_v", lambda: cv2.flip(img, 0, dst=out)),
                ("cv2_warpaffine_bilinear", lambda: cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR)),
                ("cv2_warpaffine_bicubic", lambda: cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_CUBIC)),
                # gaussian noise per channel: draw, add with saturation
                ("cv2_randn_add", lambda: (cv2.randn(noise16, 0, 10),
                                           cv2.add(img, noise16, dtype=cv2.CV_8U))),
            ]


        def shared_noise_f32():
            n32 = rng.standard_normal((h, w, 1), dtype=np.float32)
            n32 *= 10
            r = img.astype(np.float32)
            r += n32
            np.clip(r, 0, 255, out=r)
            np.rint(r, out=r)
            out[...] = r

        lines += [
            ("numpy_noise_shared_f32", shared_noise_f32),
            ("numpy_slice_fill", lambda: img[h // 4:h // 4 + h // 2, w // 4:w // 4 + w // 2].fill(0)),
            ("numpy_slice_random", lambda: img.__setitem__(
                (slice(h // 4, h // 4 + h // 2), slice(w // 4, w // 4 + w // 2)),
                rng.integers(0, 256, size=(h // 2, w // 2, 3), dtype=np.uint8))),
        ]
        for name, fn in lines:
            print("%s %s %.3f" % (name, size, best(fn, n)), flush=True)


main()
