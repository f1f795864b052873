"""Peer: OpenCV (cv2) with one thread, one process over a folder.

usage: peer_opencv.py flip|rotate|noise|resize IN_DIR OUT_DIR

JPEG out at quality 90, PNG at OpenCV's default (zlib level 1). rotate uses
the same centre ((w-1)/2, (h-1)/2) and black border as augment rotate;
noise is numpy gaussian sigma 10, one draw per pixel shared by the channels.
resize is to 224x224 with INTER_AREA (OpenCV's choice for shrinking).
"""
import os
import sys

import cv2
import numpy as np


def main():
    op, src, dst = sys.argv[1:4]
    cv2.setNumThreads(1)
    rng = np.random.default_rng(0)
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        im = cv2.imread(os.path.join(src, name), cv2.IMREAD_UNCHANGED)
        h, w = im.shape[:2]
        if op == "flip":
            out = cv2.flip(im, 1)
        elif op == "rotate":
            m = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), 30, 1.0)
            out = cv2.warpAffine(im, m, (w, h), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        elif op == "resize":
            out = cv2.resize(im, (224, 224), interpolation=cv2.INTER_AREA)
        elif op == "noise":
            n = rng.standard_normal((h, w) + ((1,) if im.ndim == 3 else ()),
                                    dtype=np.float32) * 10
            out = np.clip(np.rint(im + n), 0, 255).astype(np.uint8)
        else:
            sys.exit("peer_opencv: unknown op %s" % op)
        params = []
        if name.lower().endswith((".jpg", ".jpeg")):
            params = [cv2.IMWRITE_JPEG_QUALITY, 90]
        if not cv2.imwrite(os.path.join(dst, name), out, params):
            sys.exit("peer_opencv: cannot write %s" % name)


if __name__ == "__main__":
    main()
