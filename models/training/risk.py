#!/usr/bin/env python3
"""The model's risk output: probability of a high-grade tumour from the segmented volumes.

The U-Net segments; it does not grade. Clinicians and the trial's decision curves need a
probability, so the model card carries a small logistic model that maps a label map's volumes to
P(high grade). It is fitted here on the TRAINING split of the synthetic cohort, from the reference
label maps' volumes and the cohort's drawn outcome, and applied at inference to the predicted
volumes (models/runtime/risk-high-grade.ts computes the same features):

  core_ml = non-enhancing (label 2) + enhancing (label 3) volume in mL
  ef      = enhancing / core (0 when there is no core)
  x       = [ef, log2((core_ml + 1) / 10)]
  P       = 1 / (1 + exp(-(b0 + b . x)))

Fitted by Newton-Raphson (IRLS) with a small ridge penalty (lambda = 1e-3, not on the intercept)
so complete separation cannot send a coefficient to infinity. Age is deliberately not an input:
the model sees images only.

Usage: /usr/bin/python3 models/training/risk.py --cohort COHORT --train-info DIR/train-info.json --out DIR/risk-model.json
"""
from __future__ import annotations

import argparse
import json
import math
import os

import nibabel as nib
import numpy as np

FEATURES = ["enhancingFraction", "log2CoreMlPlus1Over10"]


def features_from_volumes(non_enhancing_ml: float, enhancing_ml: float) -> list[float]:
    core = non_enhancing_ml + enhancing_ml
    ef = enhancing_ml / core if core > 0 else 0.0
    return [ef, math.log2((core + 1.0) / 10.0)]


def label_volumes_ml(path: str) -> tuple[float, float]:
    img = nib.load(path)
    lab = np.asarray(img.dataobj)
    voxel_ml = float(np.prod(img.header.get_zooms()[:3])) / 1000.0
    return float((lab == 2).sum()) * voxel_ml, float((lab == 3).sum()) * voxel_ml


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = 1e-3, iterations: int = 100) -> np.ndarray:
    """[b0, b1, ...] maximising the penalised log-likelihood (IRLS)."""
    xd = np.hstack([np.ones((x.shape[0], 1)), x])
    beta = np.zeros(xd.shape[1])
    penalty = np.diag([0.0] + [ridge] * x.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(xd @ beta)))
        w = p * (1 - p)
        grad = xd.T @ (y - p) - penalty @ beta
        hess = xd.T @ (xd * w[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return beta


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cohort", required=True)
    ap.add_argument("--train-info", required=True, help="train-info.json: its split.train ids are the fitting set")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    with open(os.path.join(args.cohort, "manifest.json")) as f:
        manifest = json.load(f)
    with open(args.train_info) as f:
        train_ids = set(json.load(f)["split"]["train"])
    xs, ys = [], []
    for s in manifest["subjects"]:
        if s["id"] not in train_ids:
            continue
        ne, en = label_volumes_ml(os.path.join(args.cohort, s["files"]["label"]))
        xs.append(features_from_volumes(ne, en))
        ys.append(1.0 if s["outcome"]["highGrade"] else 0.0)
    x, y = np.array(xs), np.array(ys)
    beta = fit_logistic(x, y)
    p = 1 / (1 + np.exp(-(np.hstack([np.ones((len(x), 1)), x]) @ beta)))
    brier = float(np.mean((p - y) ** 2))
    model = {
        "kind": "logistic",
        "output": "probability of a high-grade tumour (WHO 3-4)",
        "features": FEATURES,
        "featureDefinitions": {
            "enhancingFraction": "enhancing (label 3) / (non-enhancing (label 2) + enhancing) volume; 0 without a core",
            "log2CoreMlPlus1Over10": "log2((non-enhancing + enhancing mL + 1) / 10)",
        },
        "intercept": float(beta[0]),
        "coefficients": [float(b) for b in beta[1:]],
        "fittedOn": {"subjects": len(y), "highGrade": int(y.sum()), "split": "training split of the synthetic cohort, reference label maps", "ridge": 1e-3},
        "apparentBrier": brier,
        "limits": "fitted on synthetic subjects whose grade was drawn from their tumour's composition; not a clinical grading tool",
    }
    with open(args.out, "w") as f:
        json.dump(model, f, indent=1)
    print(f"risk model on {len(y)} training subjects ({int(y.sum())} high grade): intercept {beta[0]:.3f}, coefficients {', '.join(f'{b:.3f}' for b in beta[1:])}, apparent Brier {brier:.3f}")
    return model


if __name__ == "__main__":
    main()
