#!/usr/bin/env python3
"""PyTorch reference for bench/inference: the same weights (model.pt), the same prepared input
(cropped, z-scored, [4, Z, Y, X] float32 written by run.ts, x fastest), the same tiles and Gaussian
blending (models/training/inference.py), CPU with the given thread count. Prints one JSON line
{"seconds": [...]} (three timed runs after one warm-up) and writes the labels (uint8, same layout).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models", "training"))
from inference import predict_logits_3d  # noqa: E402
from unet import UNet  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--input", required=True)
ap.add_argument("--size", required=True, help="x,y,z of the prepared input")
ap.add_argument("--weights", required=True)
ap.add_argument("--card", required=True)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--out", required=True)
args = ap.parse_args()
torch.set_num_threads(args.threads)
nx, ny, nz = (int(v) for v in args.size.split(","))
image = np.fromfile(args.input, dtype=np.float32).reshape(4, nz, ny, nx)
card = json.load(open(args.card))
arch = card["architecture"]
model = UNet(dims=3, base=arch["base"], depth=arch["depth"])
model.load_state_dict(torch.load(args.weights, map_location="cpu"))
model.eval()
px, py, pz = card["inference"]["patch"]
step = card["inference"]["step"]
predict_logits_3d(model, image, (pz, py, px), step)
seconds = []
for _ in range(3):
    t = time.perf_counter()
    logits = predict_logits_3d(model, image, (pz, py, px), step)
    seconds.append(time.perf_counter() - t)
logits.argmax(0).astype(np.uint8).tofile(args.out)
print(json.dumps({"seconds": seconds}))
