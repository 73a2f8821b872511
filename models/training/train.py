#!/usr/bin/env python3
"""Train the SegTrial brain-tumour U-Net (3D on patches, or 2D on axial slices) and export it.

Usage (the shipped model; see reproduce.sh):
  /usr/bin/python3 models/training/train.py --cohort COHORT --out models/unet3d --steps 3000 --seed 1
Options of note: --model 3d|2d, --loss dice|dice_ce, --patch 48, --base 8, --device auto|cpu|cuda,
--smoke (a few steps, for CI). Writes into --out:
  model.onnx          (3D only) opset 17, input `image` [1,4,Z,Y,X], output `logits` [1,4,Z,Y,X]
  model.pt            state_dict of the selected checkpoint (small: ~1.4 MB for base 8)
  train-info.json     settings, split, loss/validation history, timings
Array layout everywhere: image [N, 4, Z, Y, X] with channels [FLAIR, T1, T1gd, T2], labels [N, Z, Y, X]
in 0..3 (see data.py for the grid contract).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import Case, load_cases, load_manifest, sample_patch_3d, sample_slices_2d, split_subjects  # noqa: E402
from inference import predict_labels  # noqa: E402
from metrics import region_metrics  # noqa: E402
from randomize import randomize_case, tissue_classes  # noqa: E402
from unet import UNet, count_parameters  # noqa: E402


def soft_dice_loss(logits: torch.Tensor, target: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """Soft Dice loss with squared terms in the denominator (Milletari et al. 2016, as in the lesson):

        L = 1 - mean_c [ (2 * sum_i p_ic g_ic + eps) / (sum_i p_ic^2 + sum_i g_ic^2 + eps) ]

    p = softmax(logits) over the class axis, g = one-hot(target); the sums run over the whole batch
    and all voxels (batch Dice, stable when a class is missing from one patch); the mean is over
    the four classes. logits [N, 4, *spatial], target [N, *spatial] int64.
    """
    p = torch.softmax(logits, dim=1)
    g = F.one_hot(target, logits.shape[1]).movedim(-1, 1).to(p.dtype)
    dims = (0,) + tuple(range(2, logits.ndim))
    num = 2 * (p * g).sum(dims) + eps
    den = (p * p).sum(dims) + (g * g).sum(dims) + eps
    return 1 - (num / den).mean()


def loss_fn(kind: str, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    if kind == "dice":
        return soft_dice_loss(logits, target)
    if kind == "dice_ce":
        return soft_dice_loss(logits, target) + F.cross_entropy(logits, target)
    raise ValueError(kind)


def pick_device(name: str) -> str:
    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return name


def validate(model, cases, dims, patch, device) -> dict:
    """Mean Dice per region over the validation cases (whole-volume sliding-window inference)."""
    scores = {"WT": [], "TC": [], "ET": []}
    for case in cases:
        pred = predict_labels(model, case.image, dims, patch, 0.5, device)
        m = region_metrics(pred, case.label, case.spacing)
        for r in scores:
            scores[r].append(m[r]["dice"])
    out = {r: float(np.mean(v)) for r, v in scores.items()}
    out["mean"] = float(np.mean([out[r] for r in ("WT", "TC", "ET")]))
    return out


def pick_case(cases: list, rng: np.random.Generator, p_random: float):
    """A training case; with probability `p_random` a domain-randomised copy of it (randomize.py)."""
    case = cases[rng.integers(len(cases))]
    if not (p_random and case.label is not None and rng.random() < p_random):
        return case
    if not hasattr(case, "_classes"):
        case._classes = tissue_classes(case.image, case.label)  # type: ignore[attr-defined]
    img, lab = randomize_case(case.image, case.label, case._classes, rng)  # type: ignore[attr-defined]
    return Case(case.id, img, lab, case.spacing, case.meta)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cohort", required=True, help="cohort directory written by `segtrial cohort generate` (internal sites)")
    ap.add_argument("--out", required=True, help="output folder (model.onnx, model.pt, train-info.json)")
    ap.add_argument("--model", choices=["3d", "2d"], default="3d")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--base", type=int, default=8, help="filters at the first level (3d default 8, 2d default 16 if not given)")
    ap.add_argument("--patch", type=int, default=48, help="3D training patch edge in voxels (multiple of 8)")
    ap.add_argument("--batch", type=int, default=2, help="patches per step (3d); the 2d model uses 8x this many slices")
    ap.add_argument("--loss", choices=["dice", "dice_ce"], default="dice_ce")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--n-val", type=int, default=6, help="validation subjects (model selection)")
    ap.add_argument("--n-test", type=int, default=16, help="held-out internal test subjects (never seen in training)")
    ap.add_argument("--val-every", type=int, default=250)
    ap.add_argument("--device", default="auto", help="auto (CUDA when present), cpu or cuda")
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: leave the default)")
    ap.add_argument("--time-limit", type=float, default=0, help="stop after this many minutes (0: no limit)")
    ap.add_argument("--stop-after", type=int, default=0, help="stop at this step while keeping the --steps schedule (loss comparisons)")
    ap.add_argument("--init", default="", help="start from these weights (a model.pt of the same architecture): fine-tuning, e.g. on larger patches")
    ap.add_argument("--randomize", type=float, default=0.0, help="share of training samples drawn from a domain-randomised copy of their case (randomize.py); the rest keep the generator's contrasts")
    ap.add_argument("--val-randomized", type=int, default=0, help="also validate on this many fixed domain-randomised copies of each validation subject; selection then uses the mean of the realistic and the randomised validation scores")
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--smoke", action="store_true", help="tiny run for CI: few steps, small patches, no validation beyond one case")
    args = ap.parse_args(argv)
    if args.smoke:
        args.steps, args.patch, args.batch, args.val_every, args.n_val, args.n_test = min(args.steps, 6), 16, 1, 3, 1, 1
        args.val_randomized = min(args.val_randomized, 1)
    if args.model == "2d" and "--base" not in (argv or sys.argv):
        args.base = 16

    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = pick_device(args.device)
    os.makedirs(args.out, exist_ok=True)
    dims = 3 if args.model == "3d" else 2

    man = load_manifest(args.cohort)
    ids = [s["id"] for s in man["subjects"]]
    train_ids, val_ids, test_ids = split_subjects(ids, args.n_val, args.n_test)
    t0 = time.time()
    train_cases = load_cases(args.cohort, train_ids)
    val_cases = load_cases(args.cohort, val_ids)
    print(f"loaded {len(train_cases)} train / {len(val_cases)} val subjects in {time.time() - t0:.1f} s "
          f"(test {len(test_ids)} held out); device {device}, torch threads {torch.get_num_threads()}", flush=True)

    val_random = []
    if args.val_randomized:
        # Fixed copies (their own seed), so every validation step scores the same images.
        vrng = np.random.default_rng(10_000 + args.seed)
        for case in val_cases:
            for _ in range(args.val_randomized):
                img, lab = randomize_case(case.image, case.label, tissue_classes(case.image, case.label), vrng)
                val_random.append(Case(case.id + "-randomized", img, lab, case.spacing, case.meta))

    model = UNet(dims=dims, base=args.base).to(device)
    init = None
    if args.init:
        model.load_state_dict(torch.load(args.init, map_location=device))
        with open(args.init, "rb") as f:
            init = {"path": os.path.basename(os.path.dirname(os.path.abspath(args.init))) + "/" + os.path.basename(args.init), "sha256": hashlib.sha256(f.read()).hexdigest()}
        print(f"starting from {args.init} (sha256 {init['sha256'][:12]}…)", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-5)
    warm = max(1, min(100, args.steps // 10))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(s, args.steps) / args.steps)))
    patch3 = (args.patch,) * 3

    history, val_history = [], []
    best = {"score": -1.0, "step": 0}
    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    t_start = time.time()
    running = []
    def validate_all(step: int) -> dict:
        v = validate(model, val_cases, dims, patch3, device) if val_cases else {"mean": 0.0}
        if val_random:
            vr = validate(model, val_random, dims, patch3, device)
            v["randomized"] = vr
            v["realistic_mean"] = v["mean"]
            v["mean"] = 0.5 * (v["mean"] + vr["mean"])
        v["step"] = step
        val_history.append(v)
        print(f"  val step {step}: " + " ".join(f"{k} {val:.3f}" for k, val in v.items() if k not in ("step", "randomized")), flush=True)
        if val_random:
            print("    randomised: " + " ".join(f"{k} {val:.3f}" for k, val in v["randomized"].items()), flush=True)
        return v

    if init and val_cases:
        # A fine-tune competes with its starting weights: step 0 is a candidate, so a run that only
        # makes the model worse on the selection score selects (and writes) the weights it started from.
        best = {"score": validate_all(0)["mean"], "step": 0}
    for step in range(1, args.steps + 1):
        model.train()
        if dims == 3:
            samples = [sample_patch_3d(pick_case(train_cases, rng, args.randomize), patch3, rng) for _ in range(args.batch)]
        else:
            samples = [sample_slices_2d(train_cases[rng.integers(len(train_cases))], (96, 112), rng) for _ in range(args.batch * 8)]
        x = torch.from_numpy(np.stack([s[0] for s in samples])).to(device)
        y = torch.from_numpy(np.stack([s[1] for s in samples])).to(device)
        loss = loss_fn(args.loss, model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        running.append(float(loss))
        if step % 25 == 0 or step == args.steps:
            el = time.time() - t_start
            history.append({"step": step, "loss": float(np.mean(running)), "elapsed_s": round(el, 1)})
            print(f"step {step}/{args.steps} loss {np.mean(running):.4f} lr {sched.get_last_lr()[0]:.2e} {el / step:.2f} s/step", flush=True)
            running = []
        timed_out = bool(args.time_limit and (time.time() - t_start) > args.time_limit * 60) or step == args.stop_after
        if step % args.val_every == 0 or step == args.steps or timed_out:
            v = validate_all(step)
            if v["mean"] >= best["score"]:
                best = {"score": v["mean"], "step": step}
                best_state = {k: t.detach().clone() for k, t in model.state_dict().items()}
            torch.save(best_state, os.path.join(args.out, "model.pt"))
        if timed_out:
            print(f"time limit reached at step {step}", flush=True)
            break
    train_s = time.time() - t_start
    model.load_state_dict(best_state)
    model.cpu().eval()
    torch.save(best_state, os.path.join(args.out, "model.pt"))

    info = {
        "model": args.model,
        "architecture": {"dims": dims, "base": args.base, "depth": 3, "parameters": count_parameters(model),
                         "blocks": "2x(conv3 + InstanceNorm(affine) + LeakyReLU 0.01) per level, max-pool 2, transposed conv 2, skip concat, 1x1 head"},
        "settings": {k: v for k, v in vars(args).items()},
        "device": device,
        "torch": torch.__version__,
        "split": {"train": train_ids, "val": val_ids, "test": test_ids},
        "cohort": {"seed": man.get("seed"), "n": man.get("n"), "size": man.get("size"), "grid": man.get("grid"), "sites": man.get("sites"), "generator": man.get("generator")},
        "init": init,
        "steps_done": step,
        "train_seconds": round(train_s, 1),
        "selected": best,
        "history": history,
        "validation": val_history,
    }
    if not args.no_export and dims == 3:
        from export import export_onnx
        info["onnx"] = export_onnx(model, os.path.join(args.out, "model.onnx"), patch3)
    with open(os.path.join(args.out, "train-info.json" if dims == 3 else "train-info-2d.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(f"done: {step} steps in {train_s / 60:.1f} min, selected step {best['step']} (val mean Dice {best['score']:.3f})", flush=True)
    return info


if __name__ == "__main__":
    main()
