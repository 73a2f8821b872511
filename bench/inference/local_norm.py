#!/usr/bin/env python3
"""Can one whole-box pass keep the sliding window's accuracy? The shipped U-Net normalises with
InstanceNorm, whose statistics are those of whatever it is given: trained on 64³ patches, it sees
other statistics on the whole brain box, and tumour-core Dice falls (bench/README.md). Here each
InstanceNorm of the same weights takes its mean and variance over windows the size of the 64³
training patch at its level (average-pooled with half-window stride, trilinearly interpolated back),
so a single pass over the box normalises as the tiles did. PyTorch, on the preprocessed model-grid
cases of a cohort (data.py), no post-processing; prints Dice per region of: the sliding window (the
card's 64³ step 0.5), the plain whole box, the whole box with windowed statistics; and the time of
one whole-box forward with each normalisation.

  /usr/bin/python3 bench/inference/local_norm.py --cohort COHORT [--test-split] [--weights models/segtrial-unet3d/model.pt] [--out result.json]
"""
import argparse
import json
import os
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models", "training"))
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from data import load_cases, load_manifest, split_subjects  # noqa: E402
from inference import predict_logits_3d  # noqa: E402
from metrics import region_metrics  # noqa: E402
from unet import UNet  # noqa: E402

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--cohort", required=True)
ap.add_argument("--test-split", action="store_true", help="only the held-out test split (train.py --n-val 4 --n-test 16); default every subject")
ap.add_argument("--weights", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models", "segtrial-unet3d", "model.pt"))
ap.add_argument("--limit", type=int, default=16)
ap.add_argument("--out", default=None)
args = ap.parse_args()
torch.set_num_threads(1)
ids = [s["id"] for s in load_manifest(args.cohort)["subjects"]]
if args.test_split:
    ids = split_subjects(ids, 4, 16)[2]
cases = load_cases(args.cohort, ids[: args.limit])

class LocalIN(nn.Module):
    def __init__(self, inorm, window):
        super().__init__(); self.inorm = inorm; self.window = window
    def forward(self, x):
        k = [min(self.window, s) for s in x.shape[2:]]
        st = [max(1, kk // 2) for kk in k]
        m = F.avg_pool3d(x, k, st, ceil_mode=True)
        m2 = F.avg_pool3d(x * x, k, st, ceil_mode=True)
        m = F.interpolate(m, size=x.shape[2:], mode='trilinear', align_corners=True)
        m2 = F.interpolate(m2, size=x.shape[2:], mode='trilinear', align_corners=True)
        var = (m2 - m * m).clamp_min(0)
        y = (x - m) / torch.sqrt(var + self.inorm.eps)
        return y * self.inorm.weight.view(1, -1, 1, 1, 1) + self.inorm.bias.view(1, -1, 1, 1, 1)

def build(local):
    m = UNet(dims=3, base=8); m.load_state_dict(torch.load(args.weights, map_location='cpu')); m.eval()
    if local:
        # Window = the 64³ training patch at that level's resolution: find each norm's level by a trace.
        levels = {}
        hooks = []
        for name, mod in m.named_modules():
            if isinstance(mod, nn.InstanceNorm3d):
                hooks.append(mod.register_forward_hook(lambda mod, i, o, name=name: levels.__setitem__(name, i[0].shape[-1])))
        with torch.no_grad(): m(torch.zeros(1, 4, 64, 64, 64))
        for h in hooks: h.remove()
        for name, mod in list(m.named_modules()):
            for cname, child in list(mod.named_children()):
                full = f'{name}.{cname}' if name else cname
                if isinstance(child, nn.InstanceNorm3d):
                    setattr(mod, cname, LocalIN(child, levels[full]))
    return m

def whole_box(model, image):
    z, y, x = image.shape[1:]
    pz, py, px = [((s + 7) // 8) * 8 for s in (z, y, x)]
    t = torch.zeros(1, 4, pz, py, px); t[0, :, :z, :y, :x] = torch.from_numpy(image)
    with torch.no_grad(): out = model(t)[0, :, :z, :y, :x]
    return out.argmax(0).numpy().astype(np.uint8)

std, loc = build(False), build(True)
res = {k: {r: [] for r in ('WT', 'TC', 'ET')} for k in ('sliding', 'wholebox', 'wholebox-local')}
seconds = {'wholebox': [], 'wholebox-local': []}
for c in cases:
    t0 = time.time()
    preds = {'sliding': predict_logits_3d(std, c.image, (64, 64, 64), 0.5).argmax(0).astype(np.uint8)}
    # Alternate the two whole-box forwards (A, B) so a load change hits both.
    for k, model in (('wholebox', std), ('wholebox-local', loc)):
        t1 = time.time()
        preds[k] = whole_box(model, c.image)
        seconds[k].append(time.time() - t1)
    for k, p in preds.items():
        m = region_metrics(p, c.label, c.spacing)
        for r in ('WT', 'TC', 'ET'): res[k][r].append(m[r]['dice'])
    print(c.id, {k: round(res[k]['TC'][-1], 3) for k in res}, f'{time.time() - t0:.0f} s', flush=True)
for k in res:
    print(k, {r: round(float(np.mean(v)), 4) for r, v in res[k].items()}, flush=True)
ratios = [b / a for a, b in zip(seconds['wholebox'], seconds['wholebox-local'])]
print(f"whole-box forward, windowed ÷ plain InstanceNorm: {float(np.median(ratios)):.2f}× (median of {len(ratios)} paired ratios)", flush=True)
if args.out:
    with open(args.out, 'w') as f:
        json.dump({'dice': res, 'seconds': seconds}, f)
