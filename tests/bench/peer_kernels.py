"""make bench, kernels: OpenCV, numpy and Pillow on the same work as
tests/bench/kernels.c, one thread, best of N, one line per measurement:
NAME SIZE MS.

usage: peer_kernels.py REPS                 kernels on 512x512 and 4000x3000
       peer_kernels.py decode REPS FILE...  decoding files held in memory
"""
import io
import sys
import time

import numpy as np

try:
    import cv2
    cv2.setNumThreads(1)
except ImportError:  # numpy and Pillow lines only
    cv2 = None


def best(fn, n):
    t = 1e30
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - t0)
    return t * 1e3


def kernels(reps):
    rng = np.random.default_rng(1)
    for w, h in ((512, 512), (4000, 3000)):
        n = reps if w == 512 else max(2, reps // 3)
        size = "%dx%d" % (w, h)
        imgs = {c: rng.integers(0, 256, size=(h, w, c), dtype=np.uint8) for c in (1, 3, 4)}
        outs = {c: np.empty_like(imgs[c]) for c in imgs}
        img, out = imgs[3], outs[3]
        y0, x0, hh, ww = h // 4, w // 4, h // 2, w // 2
        lines = [("numpy_copy", lambda: np.copyto(out, img))]
        if cv2 is not None:
            m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), 30, 1)
            noise16 = np.empty((h, w, 3), np.int16)
            lines += [
                ("cv2_flip_h", lambda: cv2.flip(img, 1, dst=out)),
                ("cv2_flip_h_c1", lambda: cv2.flip(imgs[1], 1, dst=outs[1])),
                ("cv2_flip_h_c4", lambda: cv2.flip(imgs[4], 1, dst=outs[4])),
                ("cv2_flip_v", lambda: cv2.flip(img, 0, dst=out)),
                ("cv2_warpaffine_bilinear", lambda: cv2.warpAffine(
                    img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)),
                ("cv2_warpaffine_bicubic", lambda: cv2.warpAffine(
                    img, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT)),
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
            ("numpy_slice_fill", lambda: img[y0:y0 + hh, x0:x0 + ww].fill(0)),
            ("numpy_slice_random", lambda: img.__setitem__(
                (slice(y0, y0 + hh), slice(x0, x0 + ww)),
                rng.integers(0, 256, size=(hh, ww, 3), dtype=np.uint8))),
        ]
        for name, fn in lines:
            print("%s %s %.4f" % (name, size, best(fn, n)), flush=True)


def decode(reps, files):
    blobs = [open(f, "rb").read() for f in files]
    fmt = files[0].rsplit(".", 1)[-1].lower().replace("jpeg", "jpg")
    fmt = {"jpg": "jpeg"}.get(fmt, fmt)
    try:
        from PIL import Image

        def pil(b):
            with Image.open(io.BytesIO(b)) as im:
                im.load()
        total = sum(best(lambda b=b: pil(b), reps) for b in blobs)
        print("pillow_decode_%s per-image %.4f" % (fmt, total / len(blobs)), flush=True)
    except ImportError:
        pass
    if cv2 is not None:
        arrs = [np.frombuffer(b, np.uint8) for b in blobs]
        total = sum(best(lambda a=a: cv2.imdecode(a, cv2.IMREAD_UNCHANGED), reps) for a in arrs)
        print("cv2_decode_%s per-image %.4f" % (fmt, total / len(arrs)), flush=True)


if len(sys.argv) > 2 and sys.argv[1] == "decode":
    decode(int(sys.argv[2]), sys.argv[3:])
else:
    kernels(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
