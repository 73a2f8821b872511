#!/usr/bin/env bash
# Reproduces the shipped model (models/segtrial-unet3d) from nothing: the synthetic training and
# external cohorts, the 3D U-Net (shipped) and the 2D U-Net (compared in the card), their
# evaluation, the risk model and the card. CPU by default; the same scripts use CUDA when present
# (train.py --device auto). Run from anywhere; WORK=DIR keeps the intermediate files.
#
#   bash models/training/reproduce.sh            # about 4 h on one CPU core (the stress tests about 30 min), minutes on a GPU
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="${WORK:-$(mktemp -d)}"
PY=/usr/bin/python3   # Debian's python3-torch imports only under the system interpreter
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
echo "working in $WORK"

# 1. Cohorts: 120 internal subjects (site-a, site-b) for training/validation/test, 24 external (site-x).
npx segtrial cohort generate --out "$WORK/cohort" --n 120 --seed train --sites site-a,site-b --size small
npx segtrial cohort generate --out "$WORK/external" --n 24 --seed external --sites site-x --size small

# 2. Training. The schedule is fixed by --steps; --stop-after ends a run where the shipped one ended.
# The 3D U-Net in two stages: 32³ patches from random weights (many cheap steps), then 64³ patches
# from those weights (--init): the larger patches carry the background the model must learn to leave
# empty, and give the deepest level 8³ voxels instead of 4³ for its normalization.
"$PY" models/training/train.py --cohort "$WORK/cohort" --out "$WORK/run3d-32" --model 3d --patch 32 --batch 4 \
  --steps 3000 --stop-after "${STOP_3D:-0}" --val-every 500 --n-val 4 --n-test 16 --seed 1 --threads 1
"$PY" models/training/train.py --cohort "$WORK/cohort" --out "$WORK/run3d" --model 3d --patch 64 --batch 1 \
  --steps 600 --lr 1e-3 --init "$WORK/run3d-32/model.pt" --stop-after "${STOP_3D_64:-0}" --val-every 200 --n-val 4 --n-test 16 --seed 1 --threads 1
"$PY" models/training/train.py --cohort "$WORK/cohort" --out "$WORK/run2d" --model 2d --batch 2 \
  --steps 1500 --stop-after "${STOP_2D:-0}" --val-every 500 --n-val 4 --n-test 16 --seed 1 --threads 1

# 3. Evaluation on the 16 held-out internal subjects and the 24 external ones.
"$PY" models/training/evaluate.py --model-dir "$WORK/run3d" --model2d "$WORK/run2d" --internal "$WORK/cohort" \
  --external "$WORK/external" --out "$WORK/run3d/metrics.json"

# 4. The risk output and the card; writes models/segtrial-unet3d.
"$PY" models/training/risk.py --cohort "$WORK/cohort" --train-info "$WORK/run3d/train-info.json" --out "$WORK/run3d/risk-model.json"
"$PY" models/training/card.py --run "$WORK/run3d" --metrics "$WORK/run3d/metrics.json" --risk "$WORK/run3d/risk-model.json" \
  --compare "$WORK/run3d-32" --compare "$WORK/run2d" --version "${VERSION:-0.2.0}" --out models/segtrial-unet3d

# 5. Stress tests of the shipped ONNX file as the runtime serves it (card section "Stress tests"): 16 held-out
# subjects per row; the independent appearance model is never used in training.
"$PY" models/evaluation/independent-sim/simulate.py --out "$WORK/independent" --n 16 --seed 7
"$PY" models/evaluation/stress/make_stress_sets.py --internal "$WORK/cohort" --external "$WORK/external" --independent "$WORK/independent" --out "$WORK/stress"
"$PY" models/training/evaluate.py --stress "$WORK/stress" --onnx-model models/segtrial-unet3d --out "$WORK/stress.json" --threads 1
"$PY" models/training/stress_card.py --model-dir models/segtrial-unet3d --stress "$WORK/stress.json" \
  --command "make_stress_sets.py and evaluate.py --stress as in models/training/reproduce.sh step 5" \
  --selection "validation subjects of the internal sites only (train.py --n-val 4); no stress row was used for checkpoint selection"
