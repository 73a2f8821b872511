#!/usr/bin/env python3
"""An independent appearance model for stress-testing the segmentation model. NEVER used in training.

Written separately from the project's generator (imaging/cohort): it shares only the Colin27
anatomy (Debian mricron-data, ch2.nii.gz with head, ch2bet.nii.gz brain mask). Everything else is
its own: tissue memberships by linear interpolation between three intensity centres of Colin27
(not the generator's tissue map), a random affine plus Fourier-mode deformation, tumour shapes
built from a direction-dependent radius (lobulated mass, ring-enhancing with necrosis, nodular
enhancing, or non-enhancing), edema as a second, independent lobulated envelope that avoids CSF,
its own intensity table per sequence with per-subject jitter and per-sequence gamma, a quadratic
(polynomial) bias field, rendering at 1 mm and block averaging to 2 mm (partial volume), and Rician
noise. Labels follow MSD Task01: 1 edema, 2 non-enhancing tumour incl. necrosis, 3 enhancing.

Usage:
  /usr/bin/python3 models/evaluation/independent-sim/simulate.py --out DIR --n 16 --seed 7 [--head]
Writes DIR/sub-XXXX/{flair,t1,t1gd,t2,label}.nii.gz (all on one 2 mm RAS grid, i.e. co-registered)
and DIR/manifest.json ({"subjects": [{"id", "files", "tumour"}]}).
"""
from __future__ import annotations

import argparse
import json
import math
import os

import nibabel as nib
import numpy as np
from scipy import ndimage

TEMPLATES = "/usr/share/mricron/templates"
SEQS = ("flair", "t1", "t1gd", "t2")
# Own intensity table (arbitrary units, WM on T1 = 0.75): brain tissues, lesion parts, head tissues.
TABLE = {
    #        csf   gm    wm    edema solid necro enh   fat   soft  bone
    "flair": [0.08, 0.55, 0.40, 0.85, 0.75, 0.30, 0.70, 0.70, 0.35, 0.03],
    "t1":    [0.18, 0.50, 0.75, 0.42, 0.38, 0.20, 0.40, 0.95, 0.45, 0.03],
    "t1gd":  [0.20, 0.52, 0.75, 0.43, 0.45, 0.21, 1.10, 0.95, 0.50, 0.03],
    "t2":    [1.00, 0.62, 0.45, 0.95, 0.70, 1.05, 0.65, 0.70, 0.40, 0.03],
}
CSF, GM, WM, EDEMA, SOLID, NECRO, ENH, FAT, SOFT, BONE = range(10)


def anatomy():
    head_img = nib.load(os.path.join(TEMPLATES, "ch2.nii.gz"))
    head = np.asarray(head_img.dataobj, np.float32)
    brain = np.asarray(nib.load(os.path.join(TEMPLATES, "ch2bet.nii.gz")).dataobj) > 0
    return head, brain, head_img.affine


def memberships(head: np.ndarray, brain: np.ndarray) -> np.ndarray:
    """[10, X, Y, Z] fractions of the healthy classes (lesion classes 0 here)."""
    v = head[brain]
    centres = np.percentile(v, [4, 40, 88])  # CSF, GM, WM intensity centres of Colin27
    f = np.zeros((10,) + head.shape, np.float32)
    t = head
    a = np.clip((t - centres[0]) / (centres[1] - centres[0]), 0, 1)
    b = np.clip((t - centres[1]) / (centres[2] - centres[1]), 0, 1)
    f[CSF] = np.where(brain, 1 - a, 0)
    f[GM] = np.where(brain, a * (1 - b), 0)
    f[WM] = np.where(brain, a * b, 0)
    out = ~brain
    f[BONE] = np.where(out & (t < 25), 1, 0)
    f[FAT] = np.where(out & (t >= 90), 1, 0)
    f[SOFT] = np.where(out & (t >= 25) & (t < 90), 1, 0)
    return f


def lobulated(shape, centre, radius, rng, lobes=5, amp=0.35):
    """Normalised distance d/r(direction) from `centre` (voxels) with a lobulated radius."""
    grid = np.indices(shape, dtype=np.float32)
    rel = grid - np.asarray(centre, np.float32)[:, None, None, None]
    dist = np.sqrt((rel ** 2).sum(0)) + 1e-3
    u = rel / dist
    mod = np.zeros(shape, np.float32)
    for _ in range(lobes):
        d = rng.normal(size=3)
        d /= np.linalg.norm(d)
        mod += np.cos(rng.uniform(1.5, 3.5) * (u[0] * d[0] + u[1] * d[1] + u[2] * d[2]) * math.pi + rng.uniform(0, 2 * math.pi))
    r = radius * (1 + amp * mod / math.sqrt(lobes))
    return dist / np.maximum(r, 0.3 * radius)


def deform(vols: np.ndarray, rng: np.random.Generator, order=1) -> np.ndarray:
    """Random affine (scale ±7 %, rotation ±6°) plus three Fourier displacement modes (≤ 3 mm)."""
    shape = vols.shape[1:]
    c = (np.array(shape) - 1) / 2
    ang = np.radians(rng.uniform(-6, 6, 3))
    rx = np.array([[1, 0, 0], [0, math.cos(ang[0]), -math.sin(ang[0])], [0, math.sin(ang[0]), math.cos(ang[0])]])
    ry = np.array([[math.cos(ang[1]), 0, math.sin(ang[1])], [0, 1, 0], [-math.sin(ang[1]), 0, math.cos(ang[1])]])
    rz = np.array([[math.cos(ang[2]), -math.sin(ang[2]), 0], [math.sin(ang[2]), math.cos(ang[2]), 0], [0, 0, 1]])
    m = rx @ ry @ rz @ np.diag(rng.uniform(0.93, 1.07, 3))
    grid = np.indices(shape, dtype=np.float32).reshape(3, -1)
    src = (m @ (grid - c[:, None])) + c[:, None]
    for _ in range(3):
        k = rng.normal(size=3) * 2 * math.pi / np.array(shape) * rng.uniform(1, 2.5)
        amp = rng.normal(size=3) * 1.5
        src += amp[:, None] * np.sin(k @ grid + rng.uniform(0, 2 * math.pi))[None]
    return np.stack([ndimage.map_coordinates(v, src, order=order, mode="constant").reshape(shape) for v in vols])


def add_tumour(f: np.ndarray, rng: np.random.Generator):
    """Puts a lesion into the memberships (in place); returns the label map (1 mm) and its kind."""
    shape = f.shape[1:]
    wm = f[WM] > 0.8
    cand = np.argwhere(ndimage.binary_erosion(wm, iterations=8))
    centre = cand[rng.integers(len(cand))]
    kind = rng.choice(["ring", "nodular", "non-enhancing"], p=[0.5, 0.25, 0.25])
    radius = rng.uniform(7, 18)
    d = lobulated(shape, centre, radius, rng)
    mass = d < 1
    brain = (f[CSF] + f[GM] + f[WM]) > 0.5
    mass &= brain
    label = np.zeros(shape, np.uint8)
    parts = np.zeros((4,) + shape, np.float32)  # edema, solid, necrosis, enhancing
    if kind == "ring":
        rim = rng.uniform(2, 5) / radius
        enh = mass & (d >= 1 - rim)
        nec = mass & (d < (1 - rim) * rng.uniform(0.7, 0.95))
    elif kind == "nodular":
        noise = ndimage.gaussian_filter(rng.normal(size=shape).astype(np.float32), 2.5)
        enh = mass & (noise > np.quantile(noise[mass], rng.uniform(0.4, 0.7)))
        nec = np.zeros(shape, bool)
    else:
        enh = np.zeros(shape, bool)
        nec = mass & (d < rng.uniform(0.0, 0.5))
    solid = mass & ~enh & ~nec
    de = lobulated(shape, centre, radius * rng.uniform(1.4, 2.3), rng, lobes=7, amp=0.5)
    edema = (de < 1) & ~mass & brain & (f[CSF] < 0.5)
    parts[0], parts[1], parts[2], parts[3] = edema, solid, nec, enh
    parts = np.stack([ndimage.gaussian_filter(p, 0.7) for p in parts])  # soft borders (partial volume)
    lesion = np.clip(parts.sum(0), 0, 1)
    healthy = 1 - lesion
    for k in (CSF, GM, WM):
        f[k] *= healthy
    total = np.maximum(parts.sum(0), 1e-6)
    for k, p in zip((EDEMA, SOLID, NECRO, ENH), parts):
        f[k] = lesion * p / total
    label[edema] = 1
    label[solid | nec] = 2
    label[enh] = 3
    return label, str(kind)


def render(f: np.ndarray, rng: np.random.Generator, head: bool) -> dict[str, np.ndarray]:
    shape = f.shape[1:]
    grid = [np.linspace(-1, 1, s, dtype=np.float32) for s in shape]
    gx, gy, gz = np.meshgrid(*grid, indexing="ij")
    terms = [gx, gy, gz, gx * gy, gx * gz, gy * gz, gx * gx, gy * gy, gz * gz]
    out = {}
    tex = 1 + 0.08 * ndimage.gaussian_filter(rng.normal(size=shape).astype(np.float32), 2)
    lesion = f[EDEMA] + f[SOLID] + f[NECRO] + f[ENH]
    for s in SEQS:
        table = np.array(TABLE[s]) * rng.uniform(0.88, 1.12, 10)
        k = 10 if head else 7  # without the head, only air (noise) surrounds the brain, as skull-stripped studies
        vol = np.tensordot(table[:k].astype(np.float32), f[:k], axes=1)
        vol = vol * np.where(lesion > 0, tex, 1)
        vol = np.maximum(vol, 0) ** rng.uniform(0.85, 1.2)
        coef = rng.normal(0, 0.12, len(terms))
        vol = vol * np.exp(sum(c * t for c, t in zip(coef, terms)))
        out[s] = vol
    return out


def to_2mm(vol: np.ndarray) -> np.ndarray:
    sx, sy, sz = (d // 2 * 2 for d in vol.shape)
    v = vol[:sx, :sy, :sz]
    return v.reshape(sx // 2, 2, sy // 2, 2, sz // 2, 2).mean(axis=(1, 3, 5))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--head", action="store_true", help="keep the head (scalp, skull) around the brain: skull-on studies")
    ap.add_argument("--start", type=int, default=0, help="first subject index (subjects are independent: parallel processes can share the work)")
    args = ap.parse_args(argv)
    head, brain, affine = anatomy()
    aff2 = affine @ np.diag([2, 2, 2, 1])
    os.makedirs(args.out, exist_ok=True)
    subjects = []
    for i in range(args.start, args.start + args.n):
        rng = np.random.default_rng([args.seed, i])
        warped = deform(np.stack([head, brain.astype(np.float32)]), rng)
        f = memberships(warped[0], warped[1] > 0.5)
        label, kind = add_tumour(f, rng)
        vols = render(f, rng, args.head)
        sid = f"ind-{i + 1:04d}"
        d = os.path.join(args.out, sid)
        os.makedirs(d, exist_ok=True)
        wm_level = float(np.median(to_2mm(vols["t1"])[to_2mm(f[WM]) > 0.9]))
        files = {}
        for s, v in vols.items():
            v2 = to_2mm(v)
            sd = rng.uniform(0.03, 0.05) * wm_level
            v2 = np.sqrt((v2 + rng.normal(0, sd, v2.shape)) ** 2 + rng.normal(0, sd, v2.shape) ** 2)
            img = nib.Nifti1Image((v2 / wm_level * 1000).astype(np.float32), aff2)
            files[s] = f"{sid}/{sid}_{s}.nii.gz"
            nib.save(img, os.path.join(args.out, files[s]))
        # Label at 2 mm: the majority label of each 2×2×2 block, tumour classes winning ties by severity.
        onehot = np.stack([to_2mm((label == k).astype(np.float32)) for k in range(4)])
        lab2 = np.argmax(onehot + np.array([0, 1e-3, 2e-3, 3e-3])[:, None, None, None], axis=0).astype(np.uint8)
        files["label"] = f"{sid}/{sid}_label.nii.gz"
        nib.save(nib.Nifti1Image(lab2, aff2), os.path.join(args.out, files["label"]))
        subjects.append({"id": sid, "files": files, "tumour": kind, "voxels": {str(k): int((lab2 == k).sum()) for k in (1, 2, 3)}})
        print(sid, kind, subjects[-1]["voxels"], flush=True)
    with open(os.path.join(args.out, "manifest.json"), "w") as fh:
        json.dump({"generator": "independent-sim", "seed": args.seed, "head": args.head, "subjects": subjects}, fh, indent=1)


if __name__ == "__main__":
    main()
