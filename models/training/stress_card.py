#!/usr/bin/env python3
"""Writes the stress-test table into a model folder's card: `stressTests` in model-card.json and a
"Stress tests" section in MODEL_CARD.md (replaced if present), from evaluate.py --stress outputs.

Usage:
  /usr/bin/python3 models/training/stress_card.py --model-dir models/segtrial-unet3d --stress after.json \
      [--before before.json] [--candidate not-shipped.json] --command "the evaluate.py commands" --selection "which rows chose the checkpoint"

Each row: Dice, HD95 and sensitivity per region with 95 % bootstrap CIs; with --before, the shipped
predecessor's Dice beside it; every row is checked against the targets below (met / missed).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re

ROW_ORDER = ["internal", "external", "independent", "thick-4", "thick-5", "bias-x2", "snr-half", "skull-on", "oblique"]
ROW_NAMES = {"internal": "internal (held-out test split)", "external": "external site (site-x)", "independent": "independent appearance model",
             "thick-4": "4 mm slices (2×2×4 mm)", "thick-5": "5 mm slices (2×2×5 mm)", "bias-x2": "bias field doubled", "snr-half": "SNR halved",
             "skull-on": "skull-on", "oblique": "another grid and orientation"}
TARGETS = {"internal": (0.92, 0.88, 0.88), "external": (0.90, 0.85, 0.85)}
STRESS_TARGET = (0.85, 0.75, 0.70)
# Shipped versions (held-out internal / external-site Dice WT/TC/ET, as their cards reported them).
VERSION_HISTORY = [
    {"version": "0.1.0", "change": "3D U-Net base 8, 3,000 steps on 32³ patches from random weights (CPU)", "internal": [0.772, 0.739, 0.764], "external": [0.658, 0.680, 0.640]},
    {"version": "0.2.0", "change": "fine-tuned from 0.1.0 on 64³ patches, 600 steps (train.py --init); meets the internal targets of its time", "internal": [0.941, 0.882, 0.947], "external": [0.838, 0.783, 0.899]},
]


def target(row: str) -> tuple[float, float, float]:
    return TARGETS.get(row, STRESS_TARGET)


def f3(v) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.3f}"


def f1(v) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.1f}"


def met(rows: dict, row: str) -> list[bool]:
    return [rows[row][r]["dice"]["mean"] >= t for r, t in zip(("WT", "TC", "ET"), target(row))]


def markdown(after: dict, before: dict | None, command: str, selection: str, note: str = "", candidate: dict | None = None) -> str:
    rows = after["rows"]
    name = f"{after['model']['name']} {after['model']['version']}"
    out = ["## Stress tests", "",
           f"Model {name} as served: the ONNX file (SHA-256 `{after['model']['onnxSha256'][:16]}…`) run by onnxruntime-node through the platform's "
           f"`segmentCase` (model-grid resampling, sliding window, the card's post-processing, labels back on the study grid), scored on each "
           f"study's grid. Mean over subjects with the 95 % percentile-bootstrap CI (2,000 resamples). Sets: `models/evaluation/stress/make_stress_sets.py`; "
           f"the independent appearance model `models/evaluation/independent-sim/simulate.py` is never used in training.", "",
           f"Targets (Dice WT / TC / ET): internal ≥ {'/'.join(str(x) for x in TARGETS['internal'])}; external ≥ {'/'.join(str(x) for x in TARGETS['external'])}; "
           f"every other row ≥ {'/'.join(str(x) for x in STRESS_TARGET)}.", "",
           f"Checkpoint selection: {selection}", ""]
    head = "| row | n | WT Dice [95 % CI] | TC Dice [95 % CI] | ET Dice [95 % CI] | WT/TC/ET HD95 mm | WT/TC/ET sens |"
    if before:
        head += f" {before['model']['version']} Dice WT/TC/ET |"
    if candidate:
        head += f" candidate {candidate['model']['version']} (not shipped) Dice WT/TC/ET |"
    head += " targets met (WT/TC/ET) |"
    out.append(head)
    out.append("|" + "---|" * (head.count("|") - 1))
    missed = []
    for row in [r for r in ROW_ORDER if r in rows] + [r for r in rows if r not in ROW_ORDER]:
        s = rows[row]
        cells = [ROW_NAMES.get(row, row), str(s["n"])]
        for r in ("WT", "TC", "ET"):
            d = s[r]["dice"]
            cells.append(f"{f3(d['mean'])} [{f3(d['ci95'][0])}, {f3(d['ci95'][1])}]")
        cells.append(" / ".join(f1(s[r]["hd95"]["mean"]) for r in ("WT", "TC", "ET")))
        cells.append(" / ".join(f3(s[r]["sensitivity"]["mean"]) for r in ("WT", "TC", "ET")))
        if before:
            b = before["rows"].get(row)
            cells.append(" / ".join(f3(b[r]["dice"]["mean"]) for r in ("WT", "TC", "ET")) if b else "—")
        if candidate:
            c = candidate["rows"].get(row)
            cells.append(" / ".join(f3(c[r]["dice"]["mean"]) for r in ("WT", "TC", "ET")) if c else "—")
        m = met(rows, row)
        cells.append(" / ".join("met" if x else "**missed**" for x in m))
        missed += [f"{ROW_NAMES.get(row, row)} {r}" for r, x in zip(("WT", "TC", "ET"), m) if not x]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "Targets missed: " + ("; ".join(missed) if missed else "none") + ".", ""]
    out += [note, ""] if note else []
    out += [f"Commands: {command}", ""]
    out += ["## Version history", "", "| version | change | internal Dice WT/TC/ET | external Dice WT/TC/ET |", "|---|---|---|---|"]
    out += [f"| {h['version']} | {h['change']} | {' / '.join(f3(x) for x in h['internal'])} | {' / '.join(f3(x) for x in h['external'])} |" for h in VERSION_HISTORY]
    out += ["", "Trials pin the version that was the default when they went live (docs/model.md, Registry); a newer shipped version serves only trials that go live after it.", ""]
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--stress", required=True, help="evaluate.py --stress output for this model")
    ap.add_argument("--before", default=None, help="the same for the previously shipped version")
    ap.add_argument("--command", required=True)
    ap.add_argument("--selection", required=True)
    ap.add_argument("--note", default="", help="a paragraph added under the table (e.g. what was tried and not shipped)")
    ap.add_argument("--candidate", default=None, help="evaluate.py --stress output of a trained version that was not shipped: its Dice beside this model's")
    args = ap.parse_args(argv)
    with open(args.stress) as f:
        after = json.load(f)
    candidate = None
    if args.candidate:
        with open(args.candidate) as f:
            candidate = json.load(f)
    before = None
    if args.before:
        with open(args.before) as f:
            before = json.load(f)
    card_path = os.path.join(args.model_dir, "model-card.json")
    with open(card_path) as f:
        card = json.load(f)
    assert after["model"]["onnxSha256"] == card["sha256"], "the stress results are not of this folder's ONNX file"
    card["versionHistory"] = VERSION_HISTORY
    card["stressTests"] = {"rows": after["rows"], "ci": after["ci"], "inference": after["inference"], "checkpointSelection": args.selection, "command": args.command, "note": args.note,
                           "targets": {"internal": TARGETS["internal"], "external": TARGETS["external"], "otherRows": STRESS_TARGET},
                           **({"before": {"version": before["model"]["version"], "rows": before["rows"]}} if before else {}),
                           **({"candidate": {"version": candidate["model"]["version"], "onnxSha256": candidate["model"]["onnxSha256"], "shipped": False, "rows": candidate["rows"]}} if candidate else {})}
    with open(card_path, "w") as f:
        json.dump(json.loads(json.dumps(card, allow_nan=True).replace("NaN", "null")), f, indent=1)
        f.write("\n")
    md_path = os.path.join(args.model_dir, "MODEL_CARD.md")
    with open(md_path) as f:
        md = f.read()
    section = markdown(after, before, args.command, args.selection, args.note, candidate)
    if "## Stress tests" in md:
        md = re.sub(r"## Stress tests\n.*?## Version history\n.*?(?=\n## |\Z)", section.rstrip("\n") + "\n", md, flags=re.S)
    else:
        md = md.replace("\n## Training runs compared", "\n" + section + "\n## Training runs compared", 1) if "\n## Training runs compared" in md else md + "\n" + section
    with open(md_path, "w") as f:
        f.write(md)


if __name__ == "__main__":
    main()
