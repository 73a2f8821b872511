#!/usr/bin/env python3
"""Evaluate trained U-Nets on held-out internal subjects and on an external site.

Usage:
  /usr/bin/python3 models/training/evaluate.py --model-dir models/unet3d --internal COHORT \
      --external EXTERNAL_COHORT [--model2d DIR_WITH_model2d.pt] --out models/unet3d/metrics.json

Internal test subjects are the `split.test` ids recorded in train-info.json (never used for
training or model selection); every subject of the external cohort is evaluated. Inference is the
runtime's: preprocess (data.py), sliding window with the card's patch and step 0.5, Gaussian
blending, argmax (3D); every axial slice at once (2D). Metrics and empty-mask conventions: metrics.py.
Writes per-case and summary metrics as JSON and prints a table.

Stress table (the card's robustness rows), scored on the ONNX file as the runtime serves it:
  /usr/bin/python3 models/training/evaluate.py --stress ROOT --onnx-model models/segtrial-unet3d --out stress.json
ROOT holds one folder per row (models/evaluation/stress/make_stress_sets.py). Each row is segmented by
models/evaluation/segment-set.ts (onnxruntime-node, segmentCase: model-grid resampling, sliding window,
the card's post-processing, labels back on the study grid) and scored on the study grid against the
row's reference labels: mean Dice, HD95 and sensitivity per region with 95 % percentile-bootstrap
confidence intervals over subjects (2,000 resamples, seed 0).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import load_cases, load_manifest  # noqa: E402
from inference import predict_labels  # noqa: E402
from metrics import region_metrics, summarize  # noqa: E402
from unet import UNet  # noqa: E402


def load_model(state_path: str, info: dict) -> torch.nn.Module:
    a = info["architecture"]
    model = UNet(dims=a["dims"], base=a["base"], depth=a["depth"])
    model.load_state_dict(torch.load(state_path, map_location="cpu"))
    return model.eval()


def evaluate(model, dims, cases, patch, step=0.5, postprocess="none") -> list[dict]:
    per_case = []
    for case in cases:
        t = time.time()
        pred = predict_labels(model, case.image, dims, patch, step, postprocess=postprocess)
        per_case.append({
            "id": case.id, "site": case.meta.get("site"), "kind": case.meta.get("tumor", {}).get("kind") if case.meta.get("tumor") else "none",
            "seconds": round(time.time() - t, 2), "metrics": region_metrics(pred, case.label, case.spacing),
        })
    return per_case


REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def bootstrap_ci(values, n_boot: int = 2000, seed: int = 0) -> tuple[float, float, float, int]:
    """(mean, 2.5 %, 97.5 % percentile-bootstrap CI of the mean over subjects, n) of the finite values."""
    v = np.array([x for x in values if x is not None and math.isfinite(x)], dtype=np.float64)
    if len(v) == 0:
        return math.nan, math.nan, math.nan, 0
    rng = np.random.default_rng(seed)
    means = v[rng.integers(0, len(v), (n_boot, len(v)))].mean(axis=1)
    return float(v.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5)), int(len(v))


def stress_rows(root: str, model_dir: str, pred_root: str, threads: int = 1, reuse: bool = False, only: list[str] | None = None) -> dict:
    """Segments every row folder under `root` (or the `only` ones) with the ONNX model (segment-set.ts) and scores it."""
    import nibabel as nib
    import subprocess
    rows = {}
    for row in sorted(os.listdir(root)):
        set_dir = os.path.join(root, row)
        if not os.path.exists(os.path.join(set_dir, "manifest.json")) or (only and row not in only):
            continue
        with open(os.path.join(set_dir, "manifest.json")) as f:
            man = json.load(f)
        pred_dir = os.path.join(pred_root, row)
        if not (reuse and os.path.exists(os.path.join(pred_dir, "timings.json"))):
            t = time.time()
            subprocess.run(["node", "--import", "tsx", os.path.join(REPO, "models", "evaluation", "segment-set.ts"), "--model", os.path.abspath(model_dir),
                            "--set", os.path.abspath(set_dir), "--out", os.path.abspath(pred_dir), "--threads", str(threads)], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
            print(f"  segmented {row} in {time.time() - t:.0f} s", flush=True)
        per_case = []
        for sub in man["subjects"]:
            ref_img = nib.load(os.path.join(set_dir, sub["files"]["label"]))
            ref = np.asarray(ref_img.dataobj).astype(np.uint8)
            pred = np.asarray(nib.load(os.path.join(pred_dir, sub["id"] + ".nii.gz")).dataobj).astype(np.uint8)
            assert pred.shape == ref.shape, f"{row}/{sub['id']}: prediction {pred.shape} vs reference {ref.shape}"
            spacing = tuple(float(x) for x in np.sqrt((ref_img.affine[:3, :3] ** 2).sum(axis=0)))
            per_case.append({"id": sub["id"], "metrics": region_metrics(pred, ref, spacing)})
        summary = {"n": len(per_case), "description": man.get("description", "")}
        for r in ("WT", "TC", "ET"):
            summary[r] = {}
            for k in ("dice", "hd95", "sensitivity"):
                mean, lo, hi, n = bootstrap_ci([c["metrics"][r][k] for c in per_case])
                summary[r][k] = {"mean": mean, "ci95": [lo, hi], "n": n}
        rows[row] = {"summary": summary, "cases": per_case}
        print(f"{row:12s} n={len(per_case):2d} " + "  ".join(
            f"{r}: Dice {fmt(summary[r]['dice']['mean'])} [{fmt(summary[r]['dice']['ci95'][0])}, {fmt(summary[r]['dice']['ci95'][1])}] HD95 {fmt(summary[r]['hd95']['mean'], 1)} sens {fmt(summary[r]['sensitivity']['mean'])}"
            for r in ("WT", "TC", "ET")), flush=True)
    return rows


def fmt(v: float, digits=3) -> str:
    return "nan" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}"


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", default=None, help="folder with model.pt and train-info.json (3D)")
    ap.add_argument("--stress", default=None, help="stress-table mode: folder of row sets (make_stress_sets.py); needs --onnx-model")
    ap.add_argument("--onnx-model", default=None, help="model folder as shipped (model.onnx + model-card.json), run by the runtime")
    ap.add_argument("--predictions", default=None, help="where the runtime's label maps go (default: next to --out)")
    ap.add_argument("--reuse", action="store_true", help="score label maps already written instead of segmenting again")
    ap.add_argument("--rows", default=None, help="comma-separated rows to run (default: every row folder); e.g. to run rows in parallel processes, then all with --reuse")
    ap.add_argument("--model2d", default=None, help="folder with model.pt and train-info-2d.json (2D), optional")
    ap.add_argument("--internal", default=None, help="internal cohort (the training cohort; its test split is used)")
    ap.add_argument("--external", default=None, help="external-site cohort (all subjects used)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="evaluate at most this many subjects per set (smoke)")
    ap.add_argument("--postprocess", choices=["none", "largest-component"], default="largest-component", help="as the card's inference.postprocess (the runtime applies the same)")
    ap.add_argument("--only", choices=["3d", "2d"], default=None, help="evaluate one of the two models (e.g. the 2D one while the 3D one still trains); card.py merges the files")
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.stress:
        if not args.onnx_model:
            ap.error("--stress needs --onnx-model")
        with open(os.path.join(args.onnx_model, "model-card.json")) as f:
            card = json.load(f)
        pred_root = args.predictions or os.path.splitext(os.path.abspath(args.out))[0] + "-labels"
        rows = stress_rows(args.stress, args.onnx_model, pred_root, threads=args.threads or 1, reuse=args.reuse, only=args.rows.split(",") if args.rows else None)
        result = {"model": {"name": card["name"], "version": card["version"], "onnxSha256": card["sha256"]},
                  "inference": "onnxruntime-node via segmentCase (models/evaluation/segment-set.ts), the card's patch, step and post-processing, no TTA",
                  "ci": "95 % percentile bootstrap of the mean over subjects, 2,000 resamples", "rows": {k: v["summary"] for k, v in rows.items()},
                  "cases": {k: v["cases"] for k, v in rows.items()}}
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1, allow_nan=True)
        return result
    if not (args.model_dir and args.internal):
        ap.error("--model-dir and --internal are required (or --stress)")

    # The held-out split is the same for both models (same cohort, --n-val and --n-test).
    split_source = os.path.join(args.model2d, "train-info-2d.json") if args.only == "2d" else os.path.join(args.model_dir, "train-info.json")
    with open(split_source) as f:
        info3 = json.load(f)
    test_ids = info3["split"]["test"]
    internal = load_cases(args.internal, test_ids)
    external = load_cases(args.external) if args.external else []
    if args.limit:
        internal, external = internal[: args.limit], external[: args.limit]
    ext_sites = sorted({c.meta.get("site") for c in external})

    models = {}
    if args.only != "2d":
        models["3d"] = (load_model(os.path.join(args.model_dir, "model.pt"), info3), 3, tuple(info3["settings"]["patch"] for _ in range(3)))
    if args.model2d and args.only != "3d":
        with open(os.path.join(args.model2d, "train-info-2d.json")) as f:
            info2 = json.load(f)
        models["2d"] = (load_model(os.path.join(args.model2d, "model.pt"), info2), 2, None)

    result = {"conventions": {
        "dice": "both empty -> 1; one empty -> 0", "hd95": "mm, surface voxels, max of directed 95th percentiles; both empty -> 0; one empty -> NaN (counted in *_undefined, excluded from means)",
        "sensitivity": "NaN when the reference region is empty (excluded, counted)", "specificity": "over the whole cropped volume",
        "regions": {"WT": [1, 2, 3], "TC": [2, 3], "ET": [3]}, "inference": f"sliding window, step 0.5, Gaussian blending, no TTA (3D); all axial slices (2D); post-processing: {args.postprocess}",
        "grid": "cohort 'small' size: 2 mm isotropic canonical grid; labels compared on that grid"},
        "sets": {"internal": {"cohort_seed": load_manifest(args.internal).get("seed"), "ids": [c.id for c in internal]},
                 "external": {"cohort_seed": load_manifest(args.external).get("seed") if args.external else None, "sites": ext_sites, "ids": [c.id for c in external]}},
        "models": {}}
    for name, (model, dims, patch) in models.items():
        result["models"][name] = {}
        for set_name, cases in (("internal", internal), ("external", external)):
            if not cases:
                continue
            per_case = evaluate(model, dims, cases, patch, postprocess=args.postprocess)
            result["models"][name][set_name] = {"summary": summarize(per_case), "cases": per_case}
            s = result["models"][name][set_name]["summary"]
            print(f"{name} {set_name:8s} n={s['n']:2d} " + "  ".join(
                f"{r}: Dice {fmt(s[r]['dice'])} HD95 {fmt(s[r]['hd95'], 1)} (undef {s[r]['hd95_undefined']}) sens {fmt(s[r]['sensitivity'])} spec {fmt(s[r]['specificity'], 4)}"
                for r in ("WT", "TC", "ET")), flush=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1, allow_nan=True)
    return result


if __name__ == "__main__":
    main()
