#!/usr/bin/env python3
"""Builds the held-out evaluation sets of the model card's stress table, one folder per row, each with
the four sequences of every subject co-registered on one grid (what segmentCase receives after
ingest) and the reference label map on that grid:

  internal     the training cohort's held-out test split (data.split_subjects: the last --n-test ids), 2 mm
  external     the first N subjects of the external site (site-x), 2 mm
  independent  the independent appearance model (models/evaluation/independent-sim), 2 mm, brain only
  thick-4      internal test subjects, each sequence acquired as 4 mm slabs along z (box profile; in-plane the
               cohort's 2 mm, so 2×2×4 mm: generating 1 mm subjects did not fit the session's CPU time, and
               the runtime brings any in-plane resolution to its 2 mm grid first)
  thick-5      the same with 5 mm slabs (2×2×5 mm)
  bias-x2      internal test subjects with the bias field's log-SD doubled (an independent extra field,
               log-SD √3 × the site's, the generator's spatial scale: variances add, 1 + 3 = 2²)
  snr-half     internal test subjects with the noise SD doubled (Rician, √3 × the SD measured in each
               acquired sequence's air, before co-registration: SNR halved)
  skull-on     internal test subjects with Colin27's scalp, skull and soft tissue around the brain
               (ch2.nii.gz resampled in world coordinates; the independent model's head contrasts)
  oblique      internal test subjects resampled onto another grid: rotated 20° about x and 12° about
               z, 1.7 × 2.3 × 2.6 mm voxels, axes stored in another order (y, z, x) and flipped

Sequences are brought onto the T1gd grid with the generator's recorded misalignment undone (perfect
co-registration, as data.py does for training), so a row measures the model, not the registration.

Usage:
  /usr/bin/python3 models/evaluation/stress/make_stress_sets.py --internal COHORT \
      --external EXT --independent IND --out ROOT [--n 16]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "training"))
from data import CHANNELS, REFERENCE, _resample_to_reference, load_manifest, split_subjects  # noqa: E402

SITE_BIAS_LOG_SD = {"site-a": 0.06, "site-b": 0.1, "site-x": 0.18}  # imaging/cohort/sites.ts
HEAD_TEMPLATE = "/usr/share/mricron/templates/ch2.nii.gz"
# Head tissue / white matter ratios per sequence (the independent model's table): fat, soft tissue, bone.
HEAD_RATIO = {"flair": (1.75, 0.88, 0.08), "t1": (1.27, 0.6, 0.04), "t1gd": (1.27, 0.67, 0.04), "t2": (1.56, 0.89, 0.07)}


def coregistered(cohort: str, subject: dict, raw_hook=None):
    """{seq: array on the stored T1gd grid}, label array, T1gd image. `raw_hook(seq, data, img)` may
    alter each acquired sequence before it is resampled (noise is added where it arises)."""
    files = subject["files"]
    ref = nib.load(os.path.join(cohort, files[REFERENCE]))
    out = {}
    for seq in CHANNELS:
        img = nib.load(os.path.join(cohort, files[seq]))
        if raw_hook is not None:
            img = nib.Nifti1Image(raw_hook(seq, np.asarray(img.dataobj, np.float32), img), img.affine)
        m = subject.get("sequences", {}).get(seq, {}).get("misalignment", {}).get("matrix")
        mis = np.array(m, dtype=np.float64).reshape(4, 4) if m is not None else np.eye(4)
        out[seq] = _resample_to_reference(img, ref, mis).astype(np.float32)
    label = np.asarray(nib.load(os.path.join(cohort, files["label"])).dataobj).astype(np.uint8)
    return out, label, ref


def write_subject(root: str, sid: str, chans: dict, label: np.ndarray, affine: np.ndarray) -> dict:
    d = os.path.join(root, sid)
    os.makedirs(d, exist_ok=True)
    files = {}
    for seq, v in chans.items():
        files[seq] = f"{sid}/{sid}_{seq}.nii.gz"
        nib.save(nib.Nifti1Image(v.astype(np.float32), affine), os.path.join(root, files[seq]))
    files["label"] = f"{sid}/{sid}_label.nii.gz"
    nib.save(nib.Nifti1Image(label.astype(np.uint8), affine), os.path.join(root, files["label"]))
    return {"id": sid, "files": files}


def write_manifest(root: str, row: str, description: str, subjects: list[dict]):
    with open(os.path.join(root, "manifest.json"), "w") as f:
        json.dump({"row": row, "description": description, "subjects": subjects}, f, indent=1)


def world_grid(shape, affine):
    idx = np.indices(shape, dtype=np.float64).reshape(3, -1)
    return affine[:3, :3] @ idx + affine[:3, 3:4]


def smooth_unit_field(shape, affine, rng, scale_mm=48.0):
    """A smooth random field with SD 1 (Gaussian noise smoothed at `scale_mm`)."""
    sp = np.sqrt((affine[:3, :3] ** 2).sum(0))
    f = ndimage.gaussian_filter(rng.normal(size=shape), [scale_mm / 2.355 / s for s in sp])
    f = f - f.mean()
    return f / (f.std() or 1)


def air_sigma(data: np.ndarray) -> float:
    """Noise SD from the air: Rayleigh mean = σ √(π/2), air = the darkest 20 % of the volume's corners."""
    c = [s // 6 for s in data.shape]
    corners = np.concatenate([data[sx, sy, sz].ravel() for sx in (slice(0, c[0]), slice(-c[0], None)) for sy in (slice(0, c[1]), slice(-c[1], None)) for sz in (slice(0, max(1, c[2])), slice(-max(1, c[2]), None))])
    air = corners[corners <= np.quantile(corners, 0.5)]
    return float(air.mean() / math.sqrt(math.pi / 2))


def thick(vol: np.ndarray, affine: np.ndarray, t: int, label=False):
    """1 mm canonical volume -> slabs of t voxels along the third axis (box profile); label: the slab's centre slice."""
    nz = vol.shape[2] // t
    if label:
        out = vol[:, :, [k * t + t // 2 for k in range(nz)]]
    else:
        out = vol[:, :, : nz * t].reshape(vol.shape[0], vol.shape[1], nz, t).mean(axis=3)
    aff = affine.copy()
    aff[:3, 2] *= t
    aff[:3, 3] += affine[:3, 2] * (t - 1) / 2
    return out, aff


def oblique_grid(shape, affine):
    """Another grid covering the same field of view: rotated, anisotropic, axes permuted and flipped."""
    ax, az = math.radians(20), math.radians(12)
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    perm = np.array([[0, 0, -1], [-1, 0, 0], [0, 1, 0]], dtype=float)  # stored axes (i, j, k) = (-y, z, -x)-like
    m = rz @ rx @ perm @ np.diag([2.3, 2.6, 1.7])
    corners = world_grid([2, 2, 2], affine @ np.diag([shape[0] - 1, shape[1] - 1, shape[2] - 1, 1]))
    centre = corners.mean(axis=1)
    inv = np.linalg.inv(m)
    local = inv @ (corners - centre[:, None])
    lo, hi = local.min(axis=1), local.max(axis=1)
    dims = tuple(int(math.ceil(h - l)) + 1 for l, h in zip(lo, hi))
    new = np.eye(4)
    new[:3, :3] = m
    new[:3, 3] = centre + m @ lo
    return dims, new


def resample_to(vol, affine, dims, new_affine, order):
    mat = np.linalg.inv(affine) @ new_affine
    return ndimage.affine_transform(vol, mat[:3, :3], offset=mat[:3, 3], output_shape=dims, order=order, mode="constant", cval=0)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--internal", required=True)
    ap.add_argument("--n-val", type=int, default=4, help="as train.py (the split is by sorted subject id)")
    ap.add_argument("--n-test", type=int, default=16, help="as train.py")
    ap.add_argument("--external", required=True)
    ap.add_argument("--independent", required=True, help="a folder written by independent-sim/simulate.py")
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--rows", default="internal,external,independent,thick-4,thick-5,bias-x2,snr-half,skull-on,oblique")
    args = ap.parse_args(argv)
    rows = args.rows.split(",")
    man = load_manifest(args.internal)
    test_ids = split_subjects([s["id"] for s in man["subjects"]], args.n_val, args.n_test)[2][: args.n]
    internal = [s for s in man["subjects"] if s["id"] in test_ids]
    rng = np.random.default_rng(2026)
    head_img = nib.load(HEAD_TEMPLATE)
    head = np.asarray(head_img.dataobj, np.float32)

    def build(row, description, subjects, make):
        root = os.path.join(args.out, row)
        os.makedirs(root, exist_ok=True)
        written = [write_subject(root, s["id"], *make(s)) for s in subjects]
        write_manifest(root, row, description, written)
        print(f"{row}: {len(written)} subjects", flush=True)

    if "internal" in rows:
        build("internal", "held-out test split of the training cohort (sites a, b), 2 mm", internal,
              lambda s: (lambda c, l, r: (c, l, r.affine))(*coregistered(args.internal, s)))
    if "external" in rows:
        ext = load_manifest(args.external)["subjects"][: args.n]
        build("external", "external site (site-x), never trained on, 2 mm", ext,
              lambda s: (lambda c, l, r: (c, l, r.affine))(*coregistered(args.external, s)))
    if "independent" in rows:
        ind = load_manifest(args.independent)["subjects"][: args.n]

        def make_ind(s):
            chans = {q: np.asarray(nib.load(os.path.join(args.independent, s["files"][q])).dataobj, np.float32) for q in CHANNELS}
            lab_img = nib.load(os.path.join(args.independent, s["files"]["label"]))
            return chans, np.asarray(lab_img.dataobj), lab_img.affine
        build("independent", "independent appearance model (own intensities, shapes, bias, partial volume), brain only, 2 mm", ind, make_ind)
    for t in (4, 5):
        if f"thick-{t}" not in rows:
            continue

        def make_thick(s, t=t):
            chans, lab, ref = coregistered(args.internal, s)
            canon = nib.as_closest_canonical(ref)
            # Slabs along the head's z (superior-inferior): work on the canonical (RAS) arrays at 1 mm in z.
            ornt = nib.orientations.io_orientation(ref.affine)
            out, lab_out, aff = {}, None, None
            for q, v in chans.items():
                c = nib.orientations.apply_orientation(v, ornt)
                up = ndimage.zoom(c, (1, 1, 2), order=1, grid_mode=True, mode="nearest")  # 2 mm -> 1 mm along z
                up_aff = canon.affine @ np.diag([1, 1, 0.5, 1])
                up_aff[:3, 3] = canon.affine[:3, 3] - canon.affine[:3, 2] * 0.25
                out[q], aff = thick(up, up_aff, t)
            labc = nib.orientations.apply_orientation(lab, ornt)
            lab_up = np.repeat(labc, 2, axis=2)
            lab_out, _ = thick(lab_up, up_aff, t, label=True)
            return out, lab_out, aff
        build(f"thick-{t}", f"internal test subjects, {t} mm slabs along z (box profile), in-plane 2 mm", internal, make_thick)
    if "bias-x2" in rows:
        def make_bias(s):
            chans, lab, ref = coregistered(args.internal, s)
            field = np.exp(math.sqrt(3) * SITE_BIAS_LOG_SD[s["site"]] * smooth_unit_field(lab.shape, ref.affine, rng)).astype(np.float32)
            return {q: v * field for q, v in chans.items()}, lab, ref.affine
        build("bias-x2", "internal test subjects, bias field log-SD doubled", internal, make_bias)
    if "snr-half" in rows:
        def noisier(seq, data, img):
            sd = math.sqrt(3) * air_sigma(data)
            return np.sqrt((data + rng.normal(0, sd, data.shape)) ** 2 + rng.normal(0, sd, data.shape) ** 2).astype(np.float32)

        def make_snr(s):
            chans, lab, ref = coregistered(args.internal, s, raw_hook=noisier)
            return chans, lab, ref.affine
        build("snr-half", "internal test subjects, noise SD doubled in each acquired sequence (SNR halved)", internal, make_snr)
    if "skull-on" in rows:
        def make_skull(s):
            chans, lab, ref = coregistered(args.internal, s)
            h = resample_to(head, head_img.affine, lab.shape, ref.affine, 1)
            t1 = chans["t1"]
            noise_sd = air_sigma(t1)
            brain = ndimage.binary_dilation(ndimage.gaussian_filter(t1, 1) > 6 * noise_sd, iterations=1)
            brain = ndimage.binary_fill_holes(ndimage.binary_closing(brain, iterations=2))
            put = (h > 5) & ~brain
            wm_mask = t1 > np.quantile(t1[brain], 0.85)
            out = {}
            for q, v in chans.items():
                wm = float(np.median(v[wm_mask]))
                fat, soft, bone = (r * wm for r in HEAD_RATIO[q])
                sig = np.where(h >= 90, fat, np.where(h >= 25, soft, bone)).astype(np.float32)
                sd = air_sigma(v)
                noisy = np.sqrt((sig + rng.normal(0, sd, sig.shape)) ** 2 + rng.normal(0, sd, sig.shape) ** 2)
                out[q] = np.where(put, noisy, v).astype(np.float32)
            return out, lab, ref.affine
        build("skull-on", "internal test subjects with Colin27's head (scalp, skull, soft tissue) around the brain", internal, make_skull)
    if "oblique" in rows:
        def make_oblique(s):
            chans, lab, ref = coregistered(args.internal, s)
            dims, new = oblique_grid(lab.shape, ref.affine)
            return ({q: resample_to(v, ref.affine, dims, new, 1) for q, v in chans.items()}, resample_to(lab, ref.affine, dims, new, 0), new)
        build("oblique", "internal test subjects on a rotated (20°, 12°), anisotropic (1.7-2.6 mm), permuted and flipped grid", internal, make_oblique)


if __name__ == "__main__":
    main()
