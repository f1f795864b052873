"""make bench: a peer's kernel alone, images already in memory, one thread.

usage: peer_op_kernels.py OP DIR COUNT ROUNDS

OP is resize-pil (Image.resize((224, 224), BILINEAR): antialiased),
resize-cv2 (cv2.resize to 224x224, INTER_AREA), color (torchvision
ColorJitter(0.4, 0.4, 0.4, 0.1) on PIL images) or randaugment (torchvision
RandAugment() on PIL images). Decodes the first COUNT images of DIR, then
ROUNDS times applies OP to every one and prints the best round's time per
image in milliseconds, as tests/bench/op_kernels.c does for augment.
"""
import os
import sys
import time


def main():
    op, src, count, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    names = sorted(n for n in os.listdir(src) if not n.startswith("."))[:count]
    if op == "resize-cv2":
        import cv2
        cv2.setNumThreads(1)
        imgs = [cv2.imread(os.path.join(src, n), cv2.IMREAD_UNCHANGED) for n in names]
        fn = lambda im: cv2.resize(im, (224, 224), interpolation=cv2.INTER_AREA)
    else:
        from PIL import Image
        imgs = []
        for n in names:
            with Image.open(os.path.join(src, n)) as im:
                im.load()
                imgs.append(im.copy())
        if op == "resize-pil":
            bilinear = getattr(Image, "Resampling", Image).BILINEAR
            fn = lambda im: im.resize((224, 224), bilinear)
        else:
            import torch
            torch.set_num_threads(1)
            torch.manual_seed(0)
            import torchvision.transforms as T
            fn = T.ColorJitter(0.4, 0.4, 0.4, 0.1) if op == "color" else T.RandAugment()
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for im in imgs:
            fn(im)
        best = min(best, (time.perf_counter() - t0) / len(imgs))
    print(f"{best * 1e3:.3f}")


if __name__ == "__main__":
    main()
