#!/usr/bin/env bash
# Reproduces the shipped model (models/segtrial-unet3d) from nothing: the synthetic training and
# external cohorts, the 3D U-Net (shipped) and the 2D U-Net (compared in the card), their
# evaluation, the risk model and the card. CPU by default; the same scripts use CUDA when present
# (train.py --device auto). Run from anywhere; WORK=DIR keeps the intermediate files.
#
#   bash models/training/reproduce.sh            # about 1.5 h on 2 CPU cores, minutes on a GPU
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="${WORK:-$(mktemp -d)}"
PY=/usr/bin/python3   # Debian's python3-torch imports only under the system interpreter
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
echo "working in $WORK"

# 1. Cohorts: 120 internal subjects (site-a, site-b) for training/validation/test, 24 external (site-x).
npx segtrial cohort generate --out "$WORK/cohort" --n 120 --seed train --sites site-a,site-b --size small
npx segtrial cohort generate --out "$WORK/external" --n 24 --seed external --sites site-x --size small

# 2. Training. The schedule is fixed by --steps; --stop-after ends the shipped run where it ended.
"$PY" models/training/train.py --cohort "$WORK/cohort" --out "$WORK/run3d" --model 3d --patch 32 --batch 4 \
  --steps 3000 --stop-after "${STOP_3D:-0}" --val-every 500 --n-val 4 --n-test 16 --seed 1 --threads 1
"$PY" models/training/train.py --cohort "$WORK/cohort" --out "$WORK/run2d" --model 2d --batch 2 \
  --steps 1500 --stop-after "${STOP_2D:-0}" --val-every 500 --n-val 4 --n-test 16 --seed 1 --threads 1

# 3. Evaluation on the 16 held-out internal subjects and the 24 external ones.
"$PY" models/training/evaluate.py --model-dir "$WORK/run3d" --model2d "$WORK/run2d" --internal "$WORK/cohort" \
  --external "$WORK/external" --out "$WORK/run3d/metrics.json"

# 4. The risk output and the card; writes models/segtrial-unet3d.
"$PY" models/training/risk.py --cohort "$WORK/cohort" --train-info "$WORK/run3d/train-info.json" --out "$WORK/run3d/risk-model.json"
"$PY" models/training/card.py --run "$WORK/run3d" --metrics "$WORK/run3d/metrics.json" --risk "$WORK/run3d/risk-model.json" \
  --version "${VERSION:-1.0.0}" --out models/segtrial-unet3d
