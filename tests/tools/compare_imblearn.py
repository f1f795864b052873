"""augment smote against imbalanced-learn, method by method.

usage: /usr/bin/python3 tests/tools/compare_imblearn.py [BUILD_DIR] [--quick]

Needs Debian's python3-imblearn (with python3-sklearn, python3-pandas);
not part of make check. For every method and strategy on the shipped
tables (iris, wine, breast_cancer, digits, and the derived wine tables with
categorical columns, tests/data/SOURCES.md) it checks:

  counts     the rows per class after resampling equal imbalanced-learn's
             (where imbalanced-learn's count is decided by its own random
             draws or rounding up, the difference is reported, not failed);
  geometry   every synthetic row, from the manifest alone: on the segment
             x[base] + gap * (x[partner] - x[base]), with the partner among
             the base's k nearest rows of its class (brute force here),
             of the other classes for Borderline-SMOTE 2's outward rows,
             the gap in the method's range; for SMOTE-NC / SMOTEN every
             category a mode of the rows the manifest names;
  bases      Borderline-SMOTE: every base row is in imbalanced-learn's
             danger set, with the same count of other-class neighbours;
             ADASYN: every row is the base of exactly as many new rows as
             imbalanced-learn's n_samples_generate gives it (on data
             without ties: wine and breast_cancer);
  accuracy   balanced accuracy of a logistic regression, 5-fold: each
             training fold resampled by both tools, the test fold left
             alone; the means must agree within 0.01.

Prints one line per case and the numbers; exits 1 when a check fails.
"""
import collections
import os
import subprocess
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")

import numpy as np
import pandas as pd
from imblearn.combine import SMOTEENN, SMOTETomek
from imblearn.over_sampling import (ADASYN, SMOTE, SMOTEN, SMOTENC, SVMSMOTE, BorderlineSMOTE,
                                    KMeansSMOTE)
from imblearn.pipeline import make_pipeline as imb_pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(REPO, "..", "shared", "data", "tabular")
DATA = os.path.join(REPO, "tests", "data")

FAILS = []


def table(name):
    for d in (SHARED, DATA):
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    return None


def imb_strategy(s):
    if s in ("auto", "minority", "all"):
        return s
    if s == "not-minority":
        return "not minority"
    if "=" in s:
        return {k: int(v) for k, v in (i.split("=") for i in s.split(","))}
    return float(s)


def augment(build, csv, out, args, manifest=None):
    cmd = [os.path.join(build, "augment"), "smote", "-q", "-j", "1", csv, "-o", out] + args
    if manifest:
        cmd += ["--manifest", manifest]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("augment %s: %s" % (" ".join(args), r.stderr.strip()))


def imbl(method, strategy, cat_idx, seed):
    s = imb_strategy(strategy)
    if method == "smote":
        if cat_idx:
            return SMOTENC(categorical_features=cat_idx, sampling_strategy=s, random_state=seed)
        return SMOTE(sampling_strategy=s, random_state=seed)
    if method == "borderline1":
        return BorderlineSMOTE(kind="borderline-1", sampling_strategy=s, random_state=seed)
    if method == "borderline2":
        return BorderlineSMOTE(kind="borderline-2", sampling_strategy=s, random_state=seed)
    if method == "svm":
        return SVMSMOTE(sampling_strategy=s, random_state=seed)
    if method == "adasyn":
        return ADASYN(sampling_strategy=s, random_state=seed)
    if method == "kmeans":
        return KMeansSMOTE(sampling_strategy=s, random_state=seed)
    if method == "smoten":
        return SMOTEN(sampling_strategy=s, random_state=seed)
    if method == "smote+tomek":
        return SMOTETomek(sampling_strategy=s, random_state=seed)
    if method == "smote+enn":
        return SMOTEENN(sampling_strategy=s, random_state=seed)
    if method == "smote+random":
        return imb_pipeline(SMOTE(sampling_strategy=s, random_state=seed),
                            RandomUnderSampler(random_state=seed))
    return None


def aug_args(method, strategy):
    base = {"smote+tomek": ["--undersample", "tomek"], "smote+enn": ["--undersample", "enn"],
            "smote+random": ["--undersample", "random"]}
    a = base.get(method, ["--method", method])
    return a + ["--strategy", strategy]


def resample_imbl(method, strategy, X, y, cat_idx, seed):
    r = imbl(method, strategy, cat_idx, seed)
    if hasattr(r, "fit_resample"):
        return r.fit_resample(X, y)
    return r.fit_resample(X, y)


def load(path):
    df = pd.read_csv(path, keep_default_na=False, dtype=str)
    label = df.columns[-1]
    X = df.drop(columns=[label])
    y = df[label]
    cats = [i for i, c in enumerate(X.columns) if not _numeric(X[c])]
    for i, c in enumerate(X.columns):
        if i not in cats:
            X[c] = X[c].astype(float)
    return X, y, cats


def _numeric(col):
    try:
        col.astype(float)
        return True
    except ValueError:
        return False


def knn_rank_ok(Xn, idx_pool, base, partner, k):
    """Is partner among the k nearest of base within idx_pool (ties count)?"""
    pool = [i for i in idx_pool if i != base]
    d = ((Xn[pool] - Xn[base]) ** 2).sum(axis=1)
    kth = np.sort(d)[k - 1]
    dp = ((Xn[partner] - Xn[base]) ** 2).sum()
    return dp <= kth * (1 + 1e-9) + 1e-300


def check_geometry(name, method, X, y, cats, out, man, k):
    """Every synthetic row against the manifest."""
    num = [c for i, c in enumerate(X.columns) if i not in cats]
    Xn = X[num].to_numpy(float)
    outX = out.drop(columns=[out.columns[-1]])
    yv = y.to_numpy()
    bad = 0
    checked = 0
    m = man[man["row"] != ""]
    for _, r in m.iterrows():
        row, base = int(r["row"]), int(r["base"])
        detail = r["detail"]
        new = outX.iloc[row]
        if method == "smoten":
            frm = [int(v) for v in detail.split("from=")[1].split()]
            for c in X.columns:
                votes = collections.Counter(X[c].iloc[frm])
                top = max(votes.values())
                if votes.get(new[c], 0) != top:
                    bad += 1
            checked += 1
            continue
        gap = float(r["gap"])
        partner = r["neighbor"]
        if partner == "mean":
            continue
        partner = int(partner)
        want = Xn[base] + gap * (Xn[partner] - Xn[base])
        got = new[num].to_numpy(float)
        scale = np.maximum(np.abs(Xn[base]), np.abs(Xn[partner])) + 1e-300
        if np.any(np.abs(got - want) > 1e-9 * scale):
            bad += 1
        same = yv[partner] == yv[base]
        if method == "borderline2":
            # any class's row among the k nearest; half the gap towards another class
            pool = np.arange(len(yv))
            ok = 0 <= gap < (1 if same else 0.5) and knn_rank_ok(Xn, pool, base, partner, k)
        elif method == "svm" and gap <= 0:
            pool = np.flatnonzero(yv == yv[base])
            ok = same and -0.5 <= gap <= 0 and knn_rank_ok(Xn, pool, base, partner, k)
        elif method == "kmeans":
            ok = same and 0 <= gap < 1  # neighbours within the base's cluster
        else:
            pool = np.flatnonzero(yv == yv[base])
            if cats:
                # SMOTE-NC: its distance adds med^2/2 per differing category
                ok = same and 0 <= gap < 1
            else:
                ok = same and 0 <= gap < 1 and knn_rank_ok(Xn, pool, base, partner, k)
        if cats and "from=" in detail:
            frm = [int(v) for v in detail.split("from=")[1].split()]
            ok = ok and partner in frm
            for i in cats:
                c = X.columns[i]
                votes = collections.Counter(X[c].iloc[frm])
                if votes.get(new[c], 0) != max(votes.values()):
                    ok = False
        bad += not ok
        checked += 1
    return checked, bad


def check_bases(method, X, y, man, strategy):
    """Borderline danger sets and ADASYN's per-row counts, as imbalanced-learn's."""
    Xn = X.to_numpy(float)
    yv = y.to_numpy()
    m = man[man["row"] != ""]
    bases = m["base"].astype(int).to_numpy()
    if method in ("borderline1", "borderline2"):
        nn = NearestNeighbors(n_neighbors=11).fit(Xn)
        ok = True
        for cls in np.unique(yv[bases]):
            idx = np.flatnonzero(yv == cls)
            ind = nn.kneighbors(Xn[idx], return_distance=False)[:, 1:]
            n_maj = (yv[ind] != cls).sum(axis=1)
            danger = set(idx[(n_maj >= 5) & (n_maj < 10)])
            votes = dict(zip(idx, n_maj))
            for _, r in m.iterrows():
                b = int(r["base"])
                if yv[b] != cls:
                    continue
                if b not in danger or float(r["detail"].split("=")[1]) != votes[b]:
                    ok = False
        return ok, "danger sets equal" if ok else "danger sets differ"
    if method == "adasyn":
        ok = True
        for cls in np.unique(yv[bases]):
            idx = np.flatnonzero(yv == cls)
            n_new = int((bases[yv[bases] == cls]).size)
            nn = NearestNeighbors(n_neighbors=6).fit(Xn)
            ind = nn.kneighbors(Xn[idx], return_distance=False)[:, 1:]
            ratio = (yv[ind] != cls).sum(axis=1) / 5
            ratio /= ratio.sum()
            # imbalanced-learn's target for this class, before rounding
            a = ADASYN(sampling_strategy=imb_strategy(strategy), random_state=0)
            a.fit_resample(X, y)
            target = a.sampling_strategy_.get(cls)
            if target is None:
                continue
            gen = np.rint(ratio * target).astype(int)
            ours = collections.Counter(bases[yv[bases] == cls])
            for i, row in enumerate(idx):
                if ours.get(row, 0) != gen[i]:
                    ok = False
            if gen.sum() != n_new:
                ok = False
        return ok, "per-row counts equal" if ok else "per-row counts differ"
    return True, ""


def balanced_accuracy(build, path, X, y, cats, method, strategy, tmp, folds=5, repeats=3):
    """Resample each training fold with both tools; score on the untouched
    test fold. Repeated with other splits and seeds, so that the luck of one
    draw of synthetic rows weighs less on a small table."""
    ours, theirs = [], []
    names = list(X.columns)

    def model():
        if cats:
            ct = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"),
                                     [names[i] for i in cats])],
                                   remainder=StandardScaler())
            return make_pipeline(ct, LogisticRegression(max_iter=5000))
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))

    splits = []
    for rep in range(repeats):
        skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=rep)
        splits += list(skf.split(X, y))
    for f, (tr, te) in enumerate(splits):
        Xtr, ytr = X.iloc[tr], y.iloc[tr]
        train_csv = os.path.join(tmp, "train.csv")
        pd.concat([Xtr, ytr], axis=1).to_csv(train_csv, index=False)
        out = os.path.join(tmp, "out.csv")
        augment(build, train_csv, out, aug_args(method, strategy) + ["--seed", str(f)])
        o = pd.read_csv(out, keep_default_na=False, dtype=str)
        oy = o[o.columns[-1]]
        oX = o.drop(columns=[o.columns[-1]])
        for i, c in enumerate(oX.columns):
            if i not in cats:
                oX[c] = oX[c].astype(float)
        cat_idx = cats if cats else None
        iX, iy = resample_imbl(method, strategy, Xtr, ytr, cat_idx, f)
        for res, (mx, my) in ((ours, (oX, oy)), (theirs, (iX, iy))):
            clf = model().fit(mx, my)
            res.append(balanced_accuracy_score(y.iloc[te], clf.predict(X.iloc[te])))
    return float(np.mean(ours)), float(np.mean(theirs))


def main():
    build = "build"
    quick = False
    for a in sys.argv[1:]:
        if a == "--quick":
            quick = True
        else:
            build = a
    cases = []
    numeric = ["smote", "borderline1", "borderline2", "svm", "adasyn", "kmeans", "smote+tomek",
               "smote+enn", "smote+random"]
    for ds, strategies in (("breast_cancer.csv", ["auto", "0.8"]),
                           ("wine.csv", ["auto", "all", "class_0=80,class_2=75"]),
                           ("iris.csv", ["setosa=80,versicolor=70"]),
                           ("digits.csv", ["auto"])):
        for m in numeric:
            for s in strategies:
                cases.append((ds, m, s))
    cases.append(("wine_categorical.csv", "smote", "auto"))
    cases.append(("wine_nominal.csv", "smoten", "auto"))
    if quick:
        cases = [c for c in cases if c[0] != "digits.csv"]
    print("imbalanced-learn %s; augment from %s" % (__import__("imblearn").__version__, build))
    print("%-22s %-13s %-24s %-15s %-10s %-26s %s" % ("table", "method", "strategy", "counts",
                                                    "geometry", "bases", "balanced accuracy"))
    with tempfile.TemporaryDirectory() as tmp:
        for ds, method, strategy in cases:
            path = table(ds)
            if not path:
                print("%-22s skipped (not found)" % ds)
                continue
            X, y, cats = load(path)
            out, man = os.path.join(tmp, "o.csv"), os.path.join(tmp, "m.csv")
            aug_error = None
            try:
                augment(build, path, out, aug_args(method, strategy), man)
            except RuntimeError as e:
                aug_error = str(e)
            try:
                iX, iy = resample_imbl(method, strategy, X, y, cats if cats else None, 0)
                theirs = collections.Counter(iy)
            except Exception as e:  # imbalanced-learn refuses some tables
                theirs = None
                why = str(e).split("\n")[0][:60]
            if aug_error:
                if theirs is None:
                    print("%-22s %-13s %-24s both refuse: %s" % (ds, method, strategy,
                                                                 aug_error[-70:]))
                else:
                    print("%-22s %-13s %-24s augment: %s" % (ds, method, strategy, aug_error))
                    FAILS.append((ds, method, strategy, "augment failed"))
                continue
            o = pd.read_csv(out, keep_default_na=False, dtype=str)
            mf = pd.read_csv(man, keep_default_na=False, dtype=str)
            ours = collections.Counter(o[o.columns[-1]])
            if theirs is None:
                counts = "imblearn: " + why
            elif ours == theirs:
                counts = "equal"
            else:
                diff = {c: ours[c] - theirs[c] for c in ours if ours[c] != theirs[c]}
                counts = "ours-theirs %s" % diff
                # imbalanced-learn's own count depends on its random draws or
                # rounding for these (see README): reported, not failed
                if method not in ("borderline2", "svm", "kmeans", "smote+enn", "smote+tomek"):
                    FAILS.append((ds, method, strategy, counts))
            k = 2 if method == "kmeans" else 5
            n, bad = check_geometry(ds, method.split("+")[0], X, y, cats, o, mf, k)
            geom = "%d/%d ok" % (n - bad, n)
            if bad:
                FAILS.append((ds, method, strategy, "geometry %d bad" % bad))
            bases = ""
            if ds in ("wine.csv", "breast_cancer.csv") and method in ("borderline1", "borderline2",
                                                                      "adasyn"):
                ok, bases = check_bases(method, X, y, mf, strategy)
                if not ok:
                    FAILS.append((ds, method, strategy, bases))
            acc = ""
            if theirs is not None:
                try:
                    a, b = balanced_accuracy(build, path, X, y, cats, method, strategy, tmp)
                    acc = "%.4f vs %.4f (diff %+.4f)" % (a, b, a - b)
                    if abs(a - b) > 0.01:
                        FAILS.append((ds, method, strategy, "accuracy " + acc))
                except Exception as e:
                    acc = "n/a: " + str(e).split("\n")[0][:50]
            print("%-22s %-13s %-24s %-15s %-10s %-26s %s" % (ds, method, strategy, counts, geom,
                                                            bases, acc))
            sys.stdout.flush()
    if FAILS:
        print("\n%d failed:" % len(FAILS))
        for f in FAILS:
            print("  ", *f)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
