#!/usr/bin/env python3
"""Compare augment's single-image operations with torchvision on PIL images.

Not part of `make check` (it needs torchvision, PIL and NumPy; on Debian
they come with python3-torchvision, so run it with the system interpreter):

    /usr/bin/python3 tests/tools/ops_vs_torchvision.py build/augment \\
        ../shared/data/images/photos/*.png ../shared/data/images/photos/*.jpg

For every image and case it runs augment on the image (written as PNG, so
nothing is lost on the way out), builds the reference with torchvision's
functional API on the PIL image (transforms.functional, which calls PIL for
PIL images), and compares: max absolute difference and PSNR. Random ops are
compared through their manifest: the parameters augment drew (a window, a
matrix's angle, translation, scale and shears, a perspective's corners, a
ColorJitter order and factors, a policy's operations and magnitudes) are
given to torchvision's functions, so what is compared is the transform
itself. Each case has a requirement:

    exact      every byte equal
    within1    no sample differs by more than one grey level
    psnr45     PSNR >= 45 dB

Prints one line per case with the figures, a summary per operation, and
exits 1 if any case misses its requirement.
"""
import argparse
import csv
import math
import os
import re
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
    from PIL import Image
    import torchvision.transforms.functional as F
    from torchvision.transforms import InterpolationMode as IM
    from torchvision.transforms import autoaugment as AA
except ImportError as e:  # pragma: no cover - environment problem
    sys.exit(f"ops_vs_torchvision: needs torchvision, PIL and NumPy ({e}); try /usr/bin/python3")

INTERP = {"nearest": IM.NEAREST, "bilinear": IM.BILINEAR, "bicubic": IM.BICUBIC,
          "area": IM.BOX, "lanczos": IM.LANCZOS}
PAD_MODE = {"constant": "constant", "replicate": "edge", "reflect101": "reflect",
            "reflect": "symmetric"}


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return math.inf if mse == 0 else 10.0 * math.log10(255.0 ** 2 / mse)


class Runner:
    def __init__(self, augment, tmp):
        self.augment = augment
        self.tmp = tmp
        self.n = 0

    def run(self, path, args):
        """augment ARGS PATH -o out.png --manifest m.csv: (image, params)."""
        self.n += 1
        out = os.path.join(self.tmp, f"out{self.n}.png")
        man = os.path.join(self.tmp, f"m{self.n}.csv")
        cmd = [self.augment] + args + [path, "-o", out, "--manifest", man, "-s", str(self.n)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()}")
        with open(man, newline="") as f:
            row = list(csv.DictReader(f))[0]
        with Image.open(out) as im:
            im.load()
            return im.copy(), row["params"]


def params_of(text):
    d = {}
    for item in text.split(";"):
        if "=" in item:
            k, v = item.split("=", 1)
            d[k] = v
    return d


def compare(results, op, label, ours, ref, need, mask=None):
    """need: exact, within1, psnr45, or report (figures only). mask: the
    output pixels to compare (default all)."""
    a = np.asarray(ours)
    b = np.asarray(ref)
    if a.shape != b.shape:
        results.append((op, label, False, f"shape {a.shape} vs {b.shape}", math.nan, 999))
        return
    if mask is not None:
        a, b = a[mask], b[mask]
    diff = int(np.max(np.abs(a.astype(np.int32) - b.astype(np.int32)))) if a.size else 0
    p = psnr(a, b)
    ok = {"exact": diff == 0, "within1": diff <= 1, "psnr45": p >= 45.0, "report": True}[need]
    results.append((op, label, ok, need, p, diff))


def to_tensor(img):
    return torch.from_numpy(np.array(img)).permute(2, 0, 1) if img.mode == "RGB" else \
        torch.from_numpy(np.array(img))[None]


def from_tensor(t):
    a = t.permute(1, 2, 0).numpy() if t.shape[0] == 3 else t[0].numpy()
    return Image.fromarray(np.ascontiguousarray(a))


def inside(w, h, inv, margin):
    """Output pixels whose source point (inverse map, continuous
    coordinates, 3x3 or 2x3) lies at least `margin` pixels inside."""
    x, y = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
    if len(inv) == 6:
        sx = inv[0] * x + inv[1] * y + inv[2]
        sy = inv[3] * x + inv[4] * y + inv[5]
    else:
        d = inv[6] * x + inv[7] * y + 1
        sx = (inv[0] * x + inv[1] * y + inv[2]) / d
        sy = (inv[3] * x + inv[4] * y + inv[5]) / d
    return (sx >= margin) & (sx <= w - margin) & (sy >= margin) & (sy <= h - margin)


def cases(run, path, img, results):
    w, h = img.size
    name = os.path.basename(path)

    # ---- crop, pad, flips and quarter turns: exact ----
    out, _ = run.run(path, ["crop", "--size", "200x150", "--position", "30,40"])
    compare(results, "crop", f"{name} 200x150 at 30,40", out, F.crop(img, 40, 30, 150, 200), "exact")
    out, _ = run.run(path, ["crop", "--size", "201x151"])
    compare(results, "crop", f"{name} centre 201x151", out, F.center_crop(img, [151, 201]), "exact")
    out, _ = run.run(path, ["crop", "--size", f"{w + 41}x{h + 20}", "--pad-if-needed"])
    compare(results, "crop", f"{name} centre, padded", out, F.center_crop(img, [h + 20, w + 41]), "exact")
    out, p = run.run(path, ["crop", "--size", "250x180", "--position", "random"])
    x, y, cw, ch = map(int, params_of(p)["box"].split(","))
    compare(results, "crop", f"{name} random {x},{y}", out, F.crop(img, y, x, ch, cw), "exact")
    for border, mode in PAD_MODE.items():
        out, _ = run.run(path, ["pad", "--pad", "10,20,30,40", "--border", border])
        compare(results, "pad", f"{name} {border}", out,
                F.pad(img, [10, 20, 30, 40], fill=0, padding_mode=mode), "exact")
    out, _ = run.run(path, ["pad", "--pad", "7", "--border", "wrap"])
    a = np.asarray(img)
    widths = ((7, 7), (7, 7)) + (((0, 0),) if a.ndim == 3 else ())
    compare(results, "pad", f"{name} wrap (numpy)", out, Image.fromarray(np.pad(a, widths, mode="wrap")), "exact")
    out, _ = run.run(path, ["flip", "--horizontal"])
    compare(results, "flip", f"{name} horizontal", out, F.hflip(img), "exact")
    out, _ = run.run(path, ["flip", "--vertical"])
    compare(results, "flip", f"{name} vertical", out, F.vflip(img), "exact")
    for k in (90, 180, 270):
        out, _ = run.run(path, ["rotate90", "--angles", str(k)])
        compare(results, "rotate90", f"{name} {k}", out, F.rotate(img, k, expand=True), "exact")

    # ---- per-value ops and greyscale: exact ----
    out, _ = run.run(path, ["invert"])
    compare(results, "invert", name, out, F.invert(img), "exact")
    for bits in (1, 3, 5, 7):
        out, _ = run.run(path, ["posterize", "--bits", str(bits)])
        compare(results, "posterize", f"{name} {bits} bits", out, F.posterize(img, bits), "exact")
    for t in (0, 64, 128, 178.5, 255):
        out, _ = run.run(path, ["solarize", "--threshold", str(t)])
        compare(results, "solarize", f"{name} {t}", out, F.solarize(img, t), "exact")
    out, _ = run.run(path, ["grayscale"])
    compare(results, "grayscale", name, out, F.rgb_to_grayscale(img, 1), "exact")
    if img.mode == "RGB":
        out, _ = run.run(path, ["grayscale", "--keep-channels"])
        compare(results, "grayscale", f"{name} 3 channels", out, F.rgb_to_grayscale(img, 3), "exact")
    for g in (0.4, 1.0, 2.2):
        out, _ = run.run(path, ["gamma", "--gamma", str(g)])
        compare(results, "gamma", f"{name} {g}", out, F.adjust_gamma(img, g), "exact")

    # ---- enhance, equalize, autocontrast: within one grey level ----
    for f in (0.0, 0.35, 1.0, 1.3, 2.5):
        for op, fn in (("brightness", F.adjust_brightness), ("contrast", F.adjust_contrast),
                       ("saturation", F.adjust_saturation)):
            out, _ = run.run(path, ["color", f"--{op}", f"{f}:{f}"])
            compare(results, op, f"{name} {f}", out, fn(img, f), "within1")
        out, _ = run.run(path, ["sharpness", "--factor", str(f)])
        compare(results, "sharpness", f"{name} {f}", out, F.adjust_sharpness(img, f), "within1")
    out, _ = run.run(path, ["equalize"])
    compare(results, "equalize", name, out, F.equalize(img), "within1")
    out, _ = run.run(path, ["autocontrast"])
    compare(results, "autocontrast", name, out, F.autocontrast(img), "within1")
    # ColorJitter with its random order, through the manifest
    for i in range(3):
        out, p = run.run(path, ["color", "--brightness", "0.4", "--contrast", "0.4",
                                "--saturation", "0.4", "--hue", "0.1"])
        d = params_of(p)
        ref = img
        fns = {"brightness": F.adjust_brightness, "contrast": F.adjust_contrast,
               "saturation": F.adjust_saturation, "hue": F.adjust_hue}
        for k in d["order"].split(","):
            ref = fns[k](ref, float(d[k]))
        compare(results, "color (jitter)", f"{name} {d['order']}", out, ref, "psnr45")

    # ---- hue: PSNR >= 45 dB ----
    for hshift in (-0.5, -0.3, -0.1, 0.05, 0.25, 0.5):
        out, _ = run.run(path, ["color", "--hue", f"{hshift}:{hshift}"])
        compare(results, "hue", f"{name} {hshift}", out, F.adjust_hue(img, hshift), "psnr45")

    # ---- resize: PSNR >= 45 dB ----
    for interp in INTERP:
        for size in ((224, 224), (w // 3, h // 2), (w * 2 - 7, h + 13)):
            out, _ = run.run(path, ["resize", "--size", f"{size[0]}x{size[1]}", "--interp", interp])
            compare(results, "resize", f"{name} {interp} {size[0]}x{size[1]}", out,
                    F.resize(img, [size[1], size[0]], INTERP[interp]), "psnr45")
    out, _ = run.run(path, ["resize", "--short-side", "256"])
    compare(results, "resize", f"{name} short side 256", out, F.resize(img, 256), "psnr45")
    out, p = run.run(path, ["random-resized-crop", "--size", "224"])
    x, y, cw, ch = map(int, params_of(p)["box"].split(","))
    compare(results, "random-resized-crop", f"{name} {x},{y},{cw},{ch}", out,
            F.resized_crop(img, y, x, ch, cw, [224, 224], IM.BILINEAR), "psnr45")

    # ---- affine (drawn parameters through the manifest): PSNR >= 45 dB ----
    for interp in ("nearest", "bilinear"):
        for args in (["--degrees", "25"], ["--translate", "0.2,0.1"], ["--scale", "0.7:1.3"],
                     ["--shear", "15,10"],
                     ["--degrees", "30", "--translate", "0.1,0.1", "--scale", "0.8:1.2", "--shear", "10"]):
            out, p = run.run(path, ["affine", "--interp", interp] + args)
            d = params_of(p)
            tx, ty = map(int, d["translate"].split(","))
            sx, sy = map(float, d["shear"].split(","))
            kw = dict(angle=-float(d["angle"]), translate=[tx, ty], scale=float(d["scale"]),
                      shear=[sx, sy], interpolation=INTERP[interp])
            ref = F.affine(img, fill=0, **kw)
            label = f"{name} {' '.join(args)}"
            # PIL: its edge rule (a point outside the image takes the fill,
            # inside the taps clamp) differs from OpenCV's border (taps
            # outside take the fill), which this tool and torchvision's
            # tensor path follow: whole image reported, interior required
            compare(results, f"affine {interp} PIL", label, out, ref,
                    "exact" if interp == "nearest" else "report")
            inv = F._get_inverse_affine_matrix([w * 0.5, h * 0.5], kw["angle"], [tx, ty],
                                               kw["scale"], [sx, sy])
            compare(results, f"affine {interp} PIL inside", label, out, ref, "psnr45",
                    inside(w, h, inv, 1.5))
            if interp == "bilinear":
                t = from_tensor(F.affine(to_tensor(img), **kw))
                compare(results, f"affine {interp} tensor", label, out, t, "psnr45")

    # ---- perspective (drawn corners): reported, PSNR >= 45 dB ----
    for interp in ("nearest", "bilinear"):
        out, p = run.run(path, ["perspective", "--interp", interp])
        c = list(map(int, params_of(p)["corners"].split(",")))
        start = [[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]
        end = [c[0:2], c[2:4], c[4:6], c[6:8]]
        ref = F.perspective(img, start, end, INTERP[interp], fill=0)
        label = f"{name} {c}"
        compare(results, f"perspective {interp} PIL", label, out, ref,
                "psnr45" if interp == "nearest" else "report")
        inv = F._get_perspective_coeffs(start, end)
        compare(results, f"perspective {interp} PIL inside", label, out, ref, "psnr45",
                inside(w, h, inv, 1.5))
        if interp == "bilinear":
            t = from_tensor(F.perspective(to_tensor(img), start, end, INTERP[interp]))
            compare(results, f"perspective {interp} tensor", label, out, t, "psnr45")

    # ---- gaussian blur: within one grey level ----
    for sigma, k in ((0.8, 5), (1.5, 9), (3.0, 19)):
        out, _ = run.run(path, ["blur", "--sigma", f"{sigma}:{sigma}", "--kernel", str(k)])
        compare(results, "blur gaussian", f"{name} sigma {sigma} k {k}", out,
                F.gaussian_blur(img, [k, k], [sigma, sigma]), "within1")

    # ---- policies: each drawn operation applied by torchvision's _apply_op ----
    tables = {"randaugment": AA.RandAugment()._augmentation_space(31, (h, w)),
              "trivialaugment": AA.TrivialAugmentWide()._augmentation_space(31),
              "autoaugment": AA.AutoAugment()._augmentation_space(10, (h, w))}
    for policy, args in (("randaugment", []), ("randaugment", ["--magnitude", "27"]),
                         ("trivialaugment", []), ("autoaugment", [])):
        for i in range(8):
            out, p = run.run(path, [policy] + args)
            ops = re.findall(r"(\w+)\(([-0-9.e]+)\)", params_of(p)["ops"])
            ref = img
            for opname, mag in ops:
                # the magnitude must be one of torchvision's table entries
                mags, signed = tables[policy][opname]
                allowed = [float(v) for v in mags.flatten()] if mags.ndim > 0 else [0.0]
                m = float(np.float32(mag))
                in_table = any(abs(abs(m) - v) <= 1e-6 * max(1.0, v) for v in allowed)
                results.append((f"{policy} table", f"{name} {opname}({mag})", in_table,
                                "exact", math.inf if in_table else 0.0, 0 if in_table else 1))
                ref = AA._apply_op(ref, opname, m, IM.NEAREST, None)
            compare(results, policy, f"{name} {p}", out, ref, "exact")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("augment")
    ap.add_argument("images", nargs="+")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every case")
    a = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        run = Runner(os.path.abspath(a.augment), tmp)
        for path in a.images:
            with Image.open(path) as im:
                im.load()
                img = im.convert("RGB") if im.mode not in ("L", "RGB") else im.copy()
            src = os.path.join(tmp, "in_" + os.path.splitext(os.path.basename(path))[0] + ".png")
            img.save(src)  # the same pixels for both, whatever the file's format
            cases(run, src, img, results)
    failed = 0
    summary = {}
    for op, label, ok, need, p, diff in results:
        failed += not ok
        s = summary.setdefault(op, [0, 0, math.inf, 0, need])
        s[0] += 1
        s[1] += ok
        s[2] = min(s[2], p)
        s[3] = max(s[3], diff)
        if a.verbose or not ok:
            print(f"{'ok  ' if ok else 'FAIL'} {op:32s} {label:60.60s} psnr {p:6.1f} dB  max diff {diff}")
    print(f"\n{'operation':32s} {'cases':>6s} {'pass':>5s} {'min PSNR':>9s} {'max diff':>9s}  requirement")
    for op, (n, ok, p, diff, need) in summary.items():
        ps = "inf" if p == math.inf else f"{p:.1f}"
        print(f"{op:32s} {n:6d} {ok:5d} {ps:>9s} {diff:9d}  {need}")
    print(f"\n{len(results)} cases, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
