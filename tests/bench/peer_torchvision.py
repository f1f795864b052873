"""Peer: torchvision on PIL images, one process over a folder.

usage: peer_torchvision.py color|randaugment IN_DIR OUT_DIR

Every file is decoded by PIL, transformed by ColorJitter(0.4, 0.4, 0.4, 0.1)
or RandAugment() (2 operations at magnitude 9, torchvision's defaults) and
written in its own format, JPEG at quality 90. One thread.
"""
import os
import sys

import torch
import torchvision.transforms as T
from PIL import Image


def main():
    op, src, dst = sys.argv[1:4]
    torch.set_num_threads(1)
    torch.manual_seed(0)
    fn = T.ColorJitter(0.4, 0.4, 0.4, 0.1) if op == "color" else T.RandAugment()
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
