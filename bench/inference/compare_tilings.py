#!/usr/bin/env python3
"""Compares two tilings of the same model over a whole evaluation set, case by case: the labels'
Dice against each other per region (does the cheaper tiling change the answer?) and each tiling's
Dice against the truth (does it change the accuracy?). The label maps are those models/evaluation/
segment-set.ts writes (the default tiling from the card, the candidate with --step/--patch); the
single-case bench (bench/inference/run.ts) gives the paired time ratios.

  /usr/bin/python3 bench/inference/compare_tilings.py --set STRESS/internal --a PRED_CARD --b PRED_CANDIDATE
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import nibabel as nib
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models", "training"))
from metrics import REGIONS  # noqa: E402


def dice(p: np.ndarray, g: np.ndarray) -> float:
    """Dice of two masks; both empty -> 1 (the card's convention, models/training/metrics.py)."""
    n = int(p.sum()) + int(g.sum())
    return 1.0 if n == 0 else 2 * int(np.count_nonzero(p & g)) / n


def load(path: str) -> np.ndarray:
    return np.asarray(nib.load(path).dataobj).astype(np.uint8)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", required=True, help="set folder with manifest.json (files.label is the truth)")
    ap.add_argument("--a", required=True, help="label maps of the default tiling (<id>.nii.gz)")
    ap.add_argument("--b", required=True, help="label maps of the candidate tiling")
    ap.add_argument("--out", default=None, help="optional JSON with the per-case figures")
    args = ap.parse_args(argv)
    with open(os.path.join(args.set, "manifest.json")) as f:
        subjects = json.load(f)["subjects"]
    cases = []
    for s in subjects:
        ref = load(os.path.join(args.set, s["files"]["label"]))
        a = load(os.path.join(args.a, s["id"] + ".nii.gz"))
        b = load(os.path.join(args.b, s["id"] + ".nii.gz"))
        row = {"id": s["id"]}
        for r, labels in REGIONS.items():
            ma, mb, mr = np.isin(a, labels), np.isin(b, labels), np.isin(ref, labels)
            row[r] = {"agreement": dice(ma, mb), "a": dice(ma, mr), "b": dice(mb, mr)}
        cases.append(row)
    summary = {}
    for r in REGIONS:
        agree = np.array([c[r]["agreement"] for c in cases])
        summary[r] = {"agreementMean": float(agree.mean()), "agreementMin": float(agree.min()),
                      "aMean": float(np.mean([c[r]["a"] for c in cases])), "bMean": float(np.mean([c[r]["b"] for c in cases]))}
        print(f"{r}: labels b vs a Dice mean {summary[r]['agreementMean']:.4f} (min {summary[r]['agreementMin']:.4f}); "
              f"vs truth a {summary[r]['aMean']:.4f}, b {summary[r]['bMean']:.4f} (n {len(cases)})")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"summary": summary, "cases": cases}, f, indent=1)
    return summary


if __name__ == "__main__":
    main()
