"""Derive the categorical test tables from the shipped wine table.

usage: make_categorical.py tests/data/wine.csv OUT_DIR

wine_categorical.csv: six numeric columns of wine.csv, and three text
columns made from three others by cutting them at fixed points:
  ash_level       low | medium | high          (ash < 2.25, < 2.55, else)
  phenols         "rich, dark" | light         (total_phenols >= 2.3; the
                                                comma makes the cell quoted)
  magnesium_band  "<90" | 90-110 | ">110"      (magnesium)
wine_nominal.csv: every feature a category, for SMOTEN: the three columns
above and two more cut the same way (alcohol_level, hue_level).
Rows keep their order and label. Python's csv module only; no randomness.
"""
import csv
import os
import sys


def cut(v, points, names):
    for p, n in zip(points, names):
        if v < p:
            return n
    return names[-1]


def main():
    src, out = sys.argv[1], sys.argv[2]
    with open(src, newline="") as fp:
        rows = list(csv.DictReader(fp))
    numeric = ["alcohol", "malic_acid", "flavanoids", "color_intensity", "hue", "proline"]
    with open(os.path.join(out, "wine_categorical.csv"), "w", newline="") as fp:
        w = csv.writer(fp, lineterminator="\n")
        w.writerow(numeric[:3] + ["ash_level", "phenols"] + numeric[3:] +
                   ["magnesium_band", "label"])
        for r in rows:
            ash = cut(float(r["ash"]), [2.25, 2.55], ["low", "medium", "high"])
            ph = "rich, dark" if float(r["total_phenols"]) >= 2.3 else "light"
            mg = cut(float(r["magnesium"]), [90, 110], ["<90", "90-110", ">110"])
            w.writerow([r[c] for c in numeric[:3]] + [ash, ph] + [r[c] for c in numeric[3:]] +
                       [mg, r["label"]])
    with open(os.path.join(out, "wine_nominal.csv"), "w", newline="") as fp:
        w = csv.writer(fp, lineterminator="\n")
        w.writerow(["alcohol_level", "ash_level", "phenols", "magnesium_band", "hue_level",
                    "label"])
        for r in rows:
            w.writerow([
                cut(float(r["alcohol"]), [12.4, 13.4], ["low", "medium", "high"]),
                cut(float(r["ash"]), [2.25, 2.55], ["low", "medium", "high"]),
                "rich, dark" if float(r["total_phenols"]) >= 2.3 else "light",
                cut(float(r["magnesium"]), [90, 110], ["<90", "90-110", ">110"]),
                cut(float(r["hue"]), [0.8, 1.05], ["low", "medium", "high"]),
                r["label"],
            ])


if __name__ == "__main__":
    main()
