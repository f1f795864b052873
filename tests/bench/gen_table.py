"""Make the SMOTE workload: ROWS x 20 float features and a 3-class label
(shares 89.392% / 7.296% / 3.312%, i.e. 178,784 / 14,592 / 6,624 of 200,000),
deterministic for a given seed. numpy when present, else the random module
(different numbers, same shape and sizes).

usage: gen_table.py OUT.csv ROWS
"""
import sys

FEATURES = 20
SHARES = (("major", 178784), ("middle", 14592), ("minor", 6624))


def counts(rows):
    total = sum(c for _, c in SHARES)
    n = [rows * c // total for _, c in SHARES]
    n[0] += rows - sum(n)
    return n


def labels(rows, shuffle):
    lab = [i for i, c in enumerate(counts(rows)) for _ in range(c)]
    shuffle(lab)
    return lab


def main():
    out, rows = sys.argv[1], int(sys.argv[2])
    header = ",".join("f%02d" % j for j in range(FEATURES)) + ",label\n"
    names = [n for n, _ in SHARES]
    try:
        import numpy as np
    except ImportError:
        np = None
    with open(out, "w") as fp:
        fp.write(header)
        if np is not None:
            rng = np.random.default_rng(12345)
            lab = np.array(labels(rows, rng.shuffle))
            # Each class a gaussian blob around its own centre.
            centres = rng.normal(0, 2, (len(SHARES), FEATURES))
            x = rng.normal(0, 1, (rows, FEATURES)) + centres[lab]
            for r in range(0, rows, 20000):
                fp.write("".join(",".join("%.6g" % v for v in x[i]) + "," + names[lab[i]] + "\n"
                                 for i in range(r, min(rows, r + 20000))))
        else:
            import random
            rng = random.Random(12345)
            lab = labels(rows, rng.shuffle)
            centres = [[rng.gauss(0, 2) for _ in range(FEATURES)] for _ in SHARES]
            for i in range(rows):
                c = centres[lab[i]]
                fp.write(",".join("%.6g" % (c[j] + rng.gauss(0, 1)) for j in range(FEATURES))
                         + "," + names[lab[i]] + "\n")


if __name__ == "__main__":
    main()
