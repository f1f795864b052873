"""Peer: imbalanced-learn SMOTE as a Python user runs it on a CSV.

usage: peer_imblearn.py IN.csv OUT.csv

pandas read_csv, SMOTE(k_neighbors=5).fit_resample (sampling 'auto': every
class grown to the majority's size, as augment smote's default), to_csv.
The last column is the label. Phase times go to stderr.
"""
import sys
import time

import pandas as pd
from imblearn.over_sampling import SMOTE


def main():
    src, dst = sys.argv[1:3]
    t0 = time.perf_counter()
    df = pd.read_csv(src)
    label = df.columns[-1]
    x, y = df.drop(columns=[label]), df[label]
    t1 = time.perf_counter()
    xr, yr = SMOTE(k_neighbors=5, random_state=0).fit_resample(x, y)
    t2 = time.perf_counter()
    pd.concat([xr, yr], axis=1).to_csv(dst, index=False)
    t3 = time.perf_counter()
    sys.stderr.write("imblearn phases: read %.2f s, smote %.2f s, write %.2f s, %d rows out\n"
                     % (t1 - t0, t2 - t1, t3 - t2, len(yr)))


if __name__ == "__main__":
    main()
