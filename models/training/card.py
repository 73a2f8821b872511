#!/usr/bin/env python3
"""Assemble the shipped model folder: model.onnx, model.pt, model-card.json (what the platform reads) and
MODEL_CARD.md (what people read), from a training run, its evaluation and its risk model.

Usage: /usr/bin/python3 models/training/card.py --run DIR --metrics DIR/metrics.json --risk DIR/risk-model.json \
           --version 1.0.0 --out models/segtrial-unet3d

The card's machine-readable fields (name, version, input, output, inference, riskModel, sha256) are
checked by the platform against the ONNX graph when the model is registered
(models/registry/model-card.ts, verify-model.ts); everything else is kept as written.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil

NAME = "segtrial-unet3d"
LABELS = {"0": "background", "1": "edema", "2": "non-enhancing tumour (incl. necrosis)", "3": "enhancing tumour"}


def fmt(v, digits=3):
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}"


def json_safe(value):
    """NaN (an undefined metric, e.g. HD95 with an empty side) becomes null: JSON has no NaN."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def summary_rows(metrics: dict) -> list[dict]:
    rows = []
    for model_name, sets in metrics.get("models", {}).items():
        for set_name, block in sets.items():
            s = block["summary"]
            rows.append({"model": model_name, "set": set_name, "n": s["n"], **{r: s[r] for r in ("WT", "TC", "ET")}})
    return rows


def run_summary(run_dir: str) -> dict:
    """What the card says of a training run compared with the shipped one (its train-info file)."""
    name = next(n for n in ("train-info.json", "train-info-2d.json") if os.path.exists(os.path.join(run_dir, n)))
    with open(os.path.join(run_dir, name)) as f:
        info = json.load(f)
    a, st = info["architecture"], info["settings"]
    return {"model": f"{a['dims']}d", "base": a["base"], "parameters": a["parameters"], "loss": st["loss"], "patch": st["patch"] if a["dims"] == 3 else None,
            "batch": st["batch"] if a["dims"] == 3 else st["batch"] * 8, "stepsScheduled": st["steps"], "stepsDone": info["steps_done"],
            "minutes": round(info["train_seconds"] / 60, 1), "device": info["device"], "validation": info["validation"]}


def markdown(card: dict, rows: list[dict]) -> str:
    a = card["architecture"]
    t = card["training"]
    lines = [
        f"# Model card: {card['name']} {card['version']}",
        "",
        "**Not for clinical use.** Trained and evaluated on synthetic subjects only (see Training data).",
        "",
        "## What it does",
        card["description"],
        "",
        "## Inputs and outputs",
        f"- Input `{card['input']['name']}`: float32 [1, 4, Z, Y, X], channels {', '.join(card['input']['channels'])} (in this order), "
        f"{card['input']['spacingMm'][0]} mm isotropic, {card['input']['orientation']}.",
        f"- Normalization: {card['input']['normalization']}",
        f"- Output `{card['output']['name']}`: float32 [1, 4, Z, Y, X] logits over labels "
        + ", ".join(f"{k} {v}" for k, v in card["output"]["labels"].items()) + "; the runtime takes the argmax.",
        f"- Regions: WT = {{1,2,3}}, TC = {{2,3}}, ET = {{3}}.",
        f"- Inference: sliding window, patch {card['inference']['patch']} voxels, step {card['inference']['step']} of the patch, Gaussian blending (sigma = patch/8), optional mirroring TTA; post-processing after argmax: {card['inference']['postprocess']}.",
        "",
        "## Architecture",
        f"3D U-Net, {a['depth']} poolings, {a['base']} filters at the first level (doubling per level), {a['parameters']:,} parameters. {a['blocks']}.",
        "",
        "## Training",
        f"- {t['steps']} steps of batch {t['batch']} patches {t['patch']}³, loss {t['loss']}, AdamW lr {t['lr']} with warm-up and cosine decay, device {t['device']}, {t['minutes']:.0f} min.",
        *([f"- This is a second stage: it started from the weights with PyTorch SHA-256 `{t['initWeightsSha256'][:16]}…` (the earlier run in Training runs compared), not from random weights; the minutes above are this stage's."] if t.get("initWeightsSha256") else []),
        f"- Sampling: {t['sampling']}",
        f"- Augmentation (image and labels together): {t['augmentation']}",
        f"- Split by subject: {t['split']['train']} training, {t['split']['val']} validation (checkpoint selection), {t['split']['test']} held-out test subjects.",
        f"- Selected checkpoint: step {t['selected']['step']} (validation mean Dice {fmt(t['selected']['score'])}).",
        "",
        "## Training data and its limits",
        card["trainingData"]["description"],
        "",
        *[f"- {lim}" for lim in card["trainingData"]["limits"]],
        "",
        "## Evaluation",
        "Dice / HD95 (mm) / sensitivity / specificity per region, mean over subjects. " + card["evaluation"]["conventions"],
        "",
        "| model | set | n | WT Dice | TC Dice | ET Dice | WT HD95 | TC HD95 | ET HD95 | WT sens | TC sens | ET sens | ET spec |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['model']} | {r['set']} | {r['n']} | " + " | ".join(fmt(r[k]["dice"]) for k in ("WT", "TC", "ET")) + " | "
                     + " | ".join(fmt(r[k]["hd95"], 1) for k in ("WT", "TC", "ET")) + " | " + " | ".join(fmt(r[k]["sensitivity"]) for k in ("WT", "TC", "ET"))
                     + f" | {fmt(r['ET']['specificity'], 4)} |")
    if not rows:
        lines.append("| (not evaluated) | | | | | | | | | | | | |")
    lines += ["", card["evaluation"].get("remarks", ""), ""]
    runs = card.get("trainingRuns") or []
    if runs:
        lines += ["## Training runs compared",
                  "Validation mean Dice (WT, TC, ET averaged; 4 validation subjects, raw argmax, no post-processing) at each validation step, same cohort, split and seed. "
                  "`dice` is soft Dice alone, `dice_ce` soft Dice + cross-entropy. A run stopped before its schedule ended (steps done < scheduled) is compared at equal steps only.",
                  "", "| model | filters | parameters | loss | batch | steps done / scheduled | minutes | validation mean Dice by step |", "|---|---|---|---|---|---|---|---|"]
        for r in runs:
            curve = ", ".join(f"{v['step']}: {v['mean']:.3f}" for v in r["validation"])
            lines.append(f"| {r['model']} | {r['base']} | {r['parameters']:,} | {r['loss']} | {r['batch']}{' × ' + str(r['patch']) + '³' if r['patch'] else ' slices'} | {r['stepsDone']} / {r['stepsScheduled']} | {r['minutes']} | {curve} |")
        lines.append("")
    rm = card.get("riskModel")
    if rm:
        lines += ["## Risk output", f"P(high grade) = logistic({rm['intercept']:.3f} + {rm['coefficients'][0]:.3f}·enhancing fraction + {rm['coefficients'][1]:.3f}·log2((core mL + 1)/10)), "
                  f"fitted on {rm['fittedOn']['subjects']} training subjects ({rm['fittedOn']['highGrade']} high grade) from their reference volumes; apparent Brier {rm['apparentBrier']:.3f}. {rm['limits']}.", ""]
    lines += ["## Integrity", f"- ONNX SHA-256: `{card['sha256']}` ({card['onnx']['bytes']:,} bytes, opset {card['onnx']['opset']}).",
              f"- PyTorch state_dict SHA-256: `{card['weightsSha256']}`.", "", "Reproduce: `bash models/training/reproduce.sh` (CPU; CUDA when present).", ""]
    return "\n".join(lines)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True, help="training output folder (model.onnx, model.pt, train-info.json)")
    ap.add_argument("--metrics", action="append", default=[], help="evaluate.py output (repeatable: the models of each file are merged)")
    ap.add_argument("--risk", default=None, help="risk.py output")
    ap.add_argument("--version", required=True)
    ap.add_argument("--remarks", default="", help="a sentence for the evaluation section")
    ap.add_argument("--postprocess", choices=["none", "largest-component"], default="largest-component", help="declared in the card; the runtime applies it after argmax")
    ap.add_argument("--compare", action="append", default=[], help="another training run's folder (e.g. the 2D U-Net, the other loss): listed beside the shipped run")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    with open(os.path.join(args.run, "train-info.json")) as f:
        info = json.load(f)
    metrics: dict = {}
    for path in args.metrics:
        with open(path) as f:
            part = json.load(f)
        metrics.setdefault("models", {}).update(part.get("models", {}))
        metrics.setdefault("sets", part.get("sets"))
    risk = json.load(open(args.risk)) if args.risk else None
    os.makedirs(args.out, exist_ok=True)
    shutil.copyfile(os.path.join(args.run, "model.onnx"), os.path.join(args.out, "model.onnx"))
    # The PyTorch weights travel with the ONNX file: bench/inference compares the two runtimes on them.
    shutil.copyfile(os.path.join(args.run, "model.pt"), os.path.join(args.out, "model.pt"))
    onnx_sha = hashlib.sha256(open(os.path.join(args.out, "model.onnx"), "rb").read()).hexdigest()
    weights_sha = hashlib.sha256(open(os.path.join(args.run, "model.pt"), "rb").read()).hexdigest()
    st = info["settings"]
    patch = st["patch"]
    grid = info["cohort"].get("grid") or "acquisition"
    card = {
        "name": NAME,
        "version": args.version,
        "description": "Segments edema, non-enhancing tumour and enhancing tumour of brain gliomas from four co-registered MRI sequences (FLAIR, T1, T1gd, T2), Medical Segmentation Decathlon Task01 labels.",
        "intendedUse": "Research and demonstration inside SegTrial; the trial's AI-assisted arm shows its segmentation to clinicians.",
        "notForClinicalUse": True,
        "input": {
            "name": "image", "channels": ["flair", "t1", "t1gd", "t2"], "axisOrder": "NCZYX", "spacingMm": [2, 2, 2],
            "orientation": "RAS (closest canonical of the T1gd grid); the runtime resamples other grids onto it",
            "normalization": "crop to the brain bounding box (voxels non-zero in any channel), z-score per channel over those voxels (population SD, SD 0 -> 1), 0 outside",
        },
        "output": {"name": "logits", "form": "softmax", "labels": LABELS},
        "inference": {"patch": [patch, patch, patch], "step": 0.5, "postprocess": args.postprocess},
        "architecture": info["architecture"],
        "training": {
            "steps": info["steps_done"], "batch": st["batch"], "patch": patch, "loss": {"dice": "soft Dice (squared denominator)", "dice_ce": "soft Dice (squared denominator) + cross-entropy"}[st["loss"]],
            "lr": st["lr"], "device": info["device"], "torch": info["torch"], "minutes": info["train_seconds"] / 60, "seed": st["seed"],
            "sampling": "2/3 of patches centred on a tumour voxel of a class drawn uniformly among the classes present (class-balanced), 1/3 anywhere",
            "augmentation": "rotation up to ±15° per axis and isotropic scaling 0.85–1.15 in one resampling (trilinear image, nearest labels), flips of each axis, per-channel contrast ×0.9–1.1 and brightness ±0.1 SD, Gaussian noise SD 0–0.05",
            "split": {k: len(v) for k, v in info["split"].items()}, "selected": info["selected"],
            # A second stage (train.py --init) starts from earlier weights: the card names them, and
            # the earlier run is listed in trainingRuns (card.py --compare).
            "initWeightsSha256": (info.get("init") or {}).get("sha256"),
            "validation": info["validation"],
        },
        "trainingData": {
            "description": f"{info['cohort']['n']} synthetic subjects (cohort seed '{info['cohort']['seed']}', size '{info['cohort']['size']}', {grid} grids, sites {', '.join(info['cohort']['sites'] or [])}) made by `segtrial cohort generate` on the real Colin27 anatomy: per-subject deformation, a grown tumour with ground-truth labels, four simulated sequences with site-specific scanner effects and misalignment between sequences (undone with the generator's known transform for training).",
            "limits": [
                "Synthetic images from one real brain (Colin27): no real patient anatomy, pathology or scanner artefacts beyond the simulated ones.",
                "Tumour shapes, contrasts and the grade model are the generator's, not histopathology; performance on real MRI is unknown.",
                "Trained at 2 mm: boundaries finer than that are not resolved; labels are brought back to finer grids by nearest neighbour.",
                "Not for clinical use.",
            ],
        },
        "evaluation": {
            "conventions": "Dice: both empty -> 1, one empty -> 0. HD95: surface voxels, max of the directed 95th percentiles, mm; both empty -> 0, one empty -> undefined (counted, excluded from means). Sensitivity undefined when the reference region is empty. Specificity over the cropped volume (near 1 by construction).",
            "summary": summary_rows(metrics),
            "remarks": args.remarks,
            "sets": metrics.get("sets"),
        },
        "onnx": {k: info.get("onnx", {}).get(k) for k in ("bytes", "opset", "selfTest")},
        "sha256": onnx_sha,
        "weightsSha256": weights_sha,
    }
    card["trainingRuns"] = [run_summary(args.run)] + [run_summary(d) for d in args.compare]
    if risk:
        card["riskModel"] = risk
    with open(os.path.join(args.out, "model-card.json"), "w") as f:
        json.dump(json_safe(card), f, indent=1, allow_nan=False)
    with open(os.path.join(args.out, "MODEL_CARD.md"), "w") as f:
        f.write(markdown(card, summary_rows(metrics)))
    print(f"wrote {args.out}: {NAME} {args.version}, onnx {onnx_sha[:12]}")
    return card


if __name__ == "__main__":
    main()
