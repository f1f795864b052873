"""Make the image workload: N crops of the sample photos, SIZE x SIZE RGB,
written as JPEG (quality 90) and PNG, deterministic for a given seed.

usage: gen_images.py PHOTO_DIR OUT_DIR N SIZE

Writes OUT_DIR/jpg/img_NNN.jpg and OUT_DIR/png/img_NNN.png. Uses Pillow,
else OpenCV; exits 3 when neither is installed so that the caller can skip
the image workloads instead of failing.
"""
import os
import random
import sys


def crops(photos, n, size, seed=20240601):
    """(photo index, box) per output: a random square of 50..100% of the
    short side, so that 200 outputs from 8 photos are all different."""
    rng = random.Random(seed)
    for i in range(n):
        k = i % len(photos)
        w, h = photos[k][1]
        side = int(min(w, h) * rng.uniform(0.5, 1.0))
        x = rng.randrange(0, w - side + 1)
        y = rng.randrange(0, h - side + 1)
        yield i, k, (x, y, x + side, y + side)


def with_pillow(paths, out, n, size):
    from PIL import Image
    photos = []
    for p in paths:
        im = Image.open(p).convert("RGB")
        # A photo's ICC profile would ride along into every output (and
        # make libpng warn in the peers); the inputs are plain sRGB.
        im.info.clear()
        photos.append((im, im.size))
    for i, k, box in crops(photos, n, size):
        im = photos[k][0].resize((size, size), Image.LANCZOS, box=box)
        im.save(os.path.join(out, "jpg", "img_%03d.jpg" % i), quality=90)
        im.save(os.path.join(out, "png", "img_%03d.png" % i))


def with_opencv(paths, out, n, size):
    import cv2
    photos = []
    for p in paths:
        im = cv2.imread(p, cv2.IMREAD_COLOR)
        photos.append((im, (im.shape[1], im.shape[0])))
    for i, k, (x0, y0, x1, y1) in crops(photos, n, size):
        im = cv2.resize(photos[k][0][y0:y1, x0:x1], (size, size),
                        interpolation=cv2.INTER_AREA)
        cv2.imwrite(os.path.join(out, "jpg", "img_%03d.jpg" % i), im,
                    [cv2.IMWRITE_JPEG_QUALITY, 90])
        cv2.imwrite(os.path.join(out, "png", "img_%03d.png" % i), im)


def main():
    src, out, n, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    paths = sorted(os.path.join(src, f) for f in os.listdir(src)
                   if f.lower().endswith((".png", ".jpg", ".jpeg")))
    if not paths:
        sys.exit("gen_images: no photos in %s" % src)
    for sub in ("jpg", "png"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    try:
        import PIL  # noqa: F401
        with_pillow(paths, out, n, size)
        return
    except ImportError:
        pass
    try:
        import cv2  # noqa: F401
        with_opencv(paths, out, n, size)
        return
    except ImportError:
        sys.exit(3)


if __name__ == "__main__":
    main()
