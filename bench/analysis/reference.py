#!/usr/bin/env python3
"""Vectorised NumPy twin of the TypeScript bootstrap decision curve, for the benchmark in run.ts.

Same work as analysis/decision-curve-bootstrap.ts: variables 'all', 'none' and 'model'; keys with
exact 0 -> -eps and 1 -> 1 + eps (dcurves); each variable sorted once; per replicate, n indices drawn
with replacement, multiplicities by bincount, weighted cumulative event / non-event counts along the
sorted order, read at each threshold's cut (cuts are fixed, found once with searchsorted); net benefit
per threshold; finally type-7 percentile intervals per variable and threshold. The random generator
differs (NumPy PCG64 instead of xoshiro128**), so intervals agree only up to bootstrap noise.

Usage (Debian's interpreter has NumPy):
  /usr/bin/python3 bench/analysis/reference.py DATA.f64 N REPLICATES SEED REPEATS
DATA.f64 holds 2*N float64 values: N outcomes (0/1) then N risks. Prints one JSON line.
"""
import json
import sys
import time

import numpy as np

EPS = np.finfo(float).eps


def bootstrap_dca(y, risk, thresholds, replicates, seed, conf=0.95):
    n = y.size
    variables = {"all": np.ones(n), "none": np.zeros(n), "model": risk}
    prepared = []
    for values in variables.values():
        key = values.copy()
        key[values == 0] = -EPS
        key[values == 1] = 1 + EPS
        order = np.argsort(-key, kind="stable")
        key_desc = key[order]
        # number of patients with key >= t, for every threshold (keys descending)
        cut = np.searchsorted(-key_desc, -thresholds, side="right")
        prepared.append((order, y[order], cut))
    odds = thresholds / (1 - thresholds)
    rng = np.random.default_rng(seed)
    store = np.empty((replicates, len(prepared), thresholds.size))
    for r in range(replicates):
        w = np.bincount(rng.integers(0, n, size=n), minlength=n).astype(float)
        events = w @ y
        prevalence = events / n
        for v, (order, y_sorted, cut) in enumerate(prepared):
            ws = w[order]
            cum_e = np.concatenate(([0.0], np.cumsum(ws * y_sorted)))
            cum_f = np.concatenate(([0.0], np.cumsum(ws * (1 - y_sorted))))
            tp = cum_e[cut] / events * prevalence
            fp = cum_f[cut] / (n - events) * (1 - prevalence)
            store[r, v] = tp - odds * fp
    lower = np.percentile(store, 100 * (1 - conf) / 2, axis=0)
    upper = np.percentile(store, 100 * (1 + conf) / 2, axis=0)
    # point estimates
    point = np.empty((len(prepared), thresholds.size))
    events = y.sum()
    for v, (order, y_sorted, cut) in enumerate(prepared):
        cum_e = np.concatenate(([0.0], np.cumsum(y_sorted)))
        cum_f = np.concatenate(([0.0], np.cumsum(1 - y_sorted)))
        point[v] = cum_e[cut] / events * (events / n) - odds * cum_f[cut] / (n - events) * (1 - events / n)
    return point, lower, upper


def main():
    path, n, replicates, seed, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    raw = np.fromfile(path, dtype=np.float64)
    y, risk = raw[:n], raw[n:]
    thresholds = np.array([i * 0.01 for i in range(1, 100)])  # 0.01 … 0.99: 99 thresholds
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        point, lower, upper = bootstrap_dca(y, risk, thresholds, replicates, seed)
        times.append(time.perf_counter() - start)
    print(json.dumps({"seconds": min(times), "all_seconds": times, "point_model": point[2].tolist(),
                      "lower_model": lower[2].tolist(), "upper_model": upper[2].tolist()}))


if __name__ == "__main__":
    main()
