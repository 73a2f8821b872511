"""Reading the synthetic cohort, preprocessing identical to the TypeScript runtime, patch sampling
and augmentation.

CONTRACT with the runtime (models/runtime/preprocess.ts) and the model card:
  * Grid: every sequence is put on the T1gd (reference) grid, reoriented to the closest canonical
    RAS orientation (`nib.as_closest_canonical`). Arrays are C-order (Z, Y, X) of a volume stored
    with x fastest, i.e. `np.asarray(img.dataobj).transpose(2, 1, 0)`.
  * Channels: [FLAIR, T1, T1gd, T2] -> array [4, Z, Y, X] float32.
  * Brain mask = voxels where any channel is nonzero; crop to the mask's bounding box; per channel
    z-score over the mask (population SD; SD 0 -> 1); 0 outside the mask.

Co-registration: the cohort generator misaligns some sequences on purpose and records, per
sequence, the 4x4 matrix M ("the anatomy at reference world point p appears at world point M p in
that sequence"). Training uses that known truth to resample each sequence onto the T1gd grid
(trilinear), i.e. a perfect registration; at deployment the platform registers with elastix.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass

import nibabel as nib
import numpy as np
from scipy import ndimage

CHANNELS = ("flair", "t1", "t1gd", "t2")
REFERENCE = "t1gd"


@dataclass
class Case:
    """One preprocessed subject.

    image: [4, Z, Y, X] float32, z-scored, cropped to the brain bounding box.
    label: [Z, Y, X] uint8 (0..3) on the same crop, or None.
    spacing: (sz, sy, sx) in mm, matching the array axes.
    meta: manifest entry (site, covariates, ...).
    """

    id: str
    image: np.ndarray
    label: np.ndarray | None
    spacing: tuple[float, float, float]
    meta: dict


def load_manifest(cohort_dir: str) -> dict:
    with open(os.path.join(cohort_dir, "manifest.json")) as f:
        return json.load(f)


def _resample_to_reference(img: nib.Nifti1Image, ref: nib.Nifti1Image, misalign: np.ndarray) -> np.ndarray:
    """Sample `img` on the voxel grid of `ref` (both as stored, x fastest -> arrays [X, Y, Z]).

    Reference voxel v sits at world point p = A_ref v; the anatomy there appears at M p in the
    sequence, i.e. at voxel A_img^-1 M A_ref v. Trilinear, 0 outside the field of view.
    """
    mat = np.linalg.inv(img.affine) @ misalign @ ref.affine
    data = np.asarray(img.dataobj, dtype=np.float32)
    if np.allclose(mat, np.eye(4), atol=1e-6) and data.shape == ref.shape:
        return data
    return ndimage.affine_transform(data, mat[:3, :3], offset=mat[:3, 3], output_shape=ref.shape[:3], order=1, mode="constant", cval=0.0)


def load_subject_arrays(cohort_dir: str, subject: dict) -> tuple[np.ndarray, np.ndarray | None, tuple[float, float, float]]:
    """Load one manifest subject as ([4,Z,Y,X] float32 raw intensities, [Z,Y,X] uint8 labels, spacing zyx).

    All sequences end on the canonical (RAS) version of the T1gd grid.
    """
    files = subject["files"]
    ref = nib.as_closest_canonical(nib.load(os.path.join(cohort_dir, files[REFERENCE])))
    chans = []
    for seq in CHANNELS:
        img = nib.load(os.path.join(cohort_dir, files[seq]))
        m = subject.get("sequences", {}).get(seq, {}).get("misalignment", {}).get("matrix")
        misalign = np.array(m, dtype=np.float64).reshape(4, 4) if m is not None else np.eye(4)
        chans.append(_resample_to_reference(img, ref, misalign).transpose(2, 1, 0))
    image = np.stack(chans).astype(np.float32)
    label = None
    if files.get("label"):
        lab_img = nib.as_closest_canonical(nib.load(os.path.join(cohort_dir, files["label"])))
        assert np.allclose(lab_img.affine, ref.affine, atol=1e-4), "label map is not on the T1gd grid"
        label = np.asarray(lab_img.dataobj).astype(np.uint8).transpose(2, 1, 0)
    sx, sy, sz = (float(s) for s in ref.header.get_zooms()[:3])
    return image, label, (sz, sy, sx)


def preprocess(image: np.ndarray, label: np.ndarray | None = None):
    """Runtime-identical preprocessing.

    image: [C, Z, Y, X] raw intensities. Returns (image [C,z,y,x] float32 z-scored and cropped,
    label cropped or None, bbox ((z0,z1),(y0,y1),(x0,x1)) end-exclusive, stats [(mean, sd)] per channel).
    """
    mask = np.any(image != 0, axis=0)
    if not mask.any():
        raise ValueError("all channels are zero: no brain to segment")
    idx = [np.nonzero(mask.any(axis=tuple(a for a in range(3) if a != ax)))[0] for ax in range(3)]
    bbox = tuple((int(i[0]), int(i[-1]) + 1) for i in idx)
    sl = tuple(slice(a, b) for a, b in bbox)
    img = image[(slice(None),) + sl].astype(np.float64)
    m = mask[sl]
    out = np.zeros(img.shape, dtype=np.float32)
    stats = []
    for c in range(img.shape[0]):
        v = img[c][m]
        mean = float(v.mean())
        sd = float(math.sqrt(max(float((v * v).mean()) - mean * mean, 0.0))) or 1.0
        out[c][m] = ((v - mean) / sd).astype(np.float32)
        stats.append((mean, sd))
    return out, (label[sl] if label is not None else None), bbox, stats


def load_case(cohort_dir: str, subject: dict) -> Case:
    image, label, spacing = load_subject_arrays(cohort_dir, subject)
    image, label, _, _ = preprocess(image, label)
    return Case(subject["id"], image, label, spacing, subject)


def load_cases(cohort_dir: str, ids: list[str] | None = None) -> list[Case]:
    """Load (and preprocess) the listed subjects of a cohort, or all of them."""
    man = load_manifest(cohort_dir)
    subs = [s for s in man["subjects"] if ids is None or s["id"] in ids]
    return [load_case(cohort_dir, s) for s in subs]


def split_subjects(subject_ids: list[str], n_val: int, n_test: int) -> tuple[list[str], list[str], list[str]]:
    """Deterministic split by subject: the last `n_test` ids are the held-out test set, the `n_val`
    before them the validation set (model selection), the rest training."""
    ids = sorted(subject_ids)
    test = ids[len(ids) - n_test:] if n_test else []
    val = ids[len(ids) - n_test - n_val: len(ids) - n_test] if n_val else []
    train = ids[: len(ids) - n_test - n_val]
    return train, val, test


# ----------------------------------------------------------------------------------------------
# Patch sampling and augmentation (image and labels transformed together)
# ----------------------------------------------------------------------------------------------

def tumour_voxels(case: Case) -> dict[int, np.ndarray]:
    """Per tumour class 1..3, the (z, y, x) indices of its voxels (cached on the case)."""
    if not hasattr(case, "_fg"):
        case._fg = {c: np.argwhere(case.label == c) for c in (1, 2, 3)}  # type: ignore[attr-defined]
    return case._fg  # type: ignore[attr-defined]


def _rotation(angles: np.ndarray) -> np.ndarray:
    """3x3 rotation about array axes (z, y, x) by the given radians (applied x, then y, then z)."""
    a, b, c = angles
    rz = np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])
    ry = np.array([[math.cos(b), 0, math.sin(b)], [0, 1, 0], [-math.sin(b), 0, math.cos(b)]])
    rx = np.array([[math.cos(c), -math.sin(c), 0], [math.sin(c), math.cos(c), 0], [0, 0, 1]])
    return rz @ ry @ rx


def sample_patch_3d(case: Case, patch: tuple[int, int, int], rng: np.random.Generator, p_fg: float = 2 / 3, augment: bool = True):
    """One training patch: image [4,pz,py,px] float32, label [pz,py,px] int64.

    With probability `p_fg` the patch is centred on a tumour voxel (class chosen uniformly among the
    tumour classes present, so the small enhancing class is not drowned), otherwise anywhere in the
    volume. Augmentation (when on): rotation up to +-15 deg about each axis, isotropic scaling
    0.85-1.15 (both as one affine resampling: trilinear for the image, nearest for the labels; zero
    padding outside = the runtime's padding), random flips of each axis, per-channel contrast
    x*a (a in 0.9-1.1) + brightness b (b in +-0.1 SD), Gaussian noise (SD 0-0.05) inside the brain.
    """
    img, lab = case.image, case.label
    shape = np.array(img.shape[1:])
    ps = np.array(patch)
    centre = None
    if lab is not None and rng.random() < p_fg:
        fg = tumour_voxels(case)
        present = [c for c in (1, 2, 3) if len(fg[c])]
        if present:
            vox = fg[int(rng.choice(present))]
            centre = vox[rng.integers(len(vox))].astype(np.float64)
    if centre is None:
        lo = np.minimum(ps / 2, shape / 2)
        centre = lo + rng.random(3) * np.maximum(shape - 2 * lo, 0)
    if augment:
        rot = _rotation(rng.uniform(-1, 1, 3) * math.radians(15))
        scale = rng.uniform(0.85, 1.15)
        mat = rot / scale  # output (patch) coords -> input (volume) coords
    else:
        mat = np.eye(3)
    pc = (ps - 1) / 2.0
    offset = centre - mat @ pc
    out_img = np.stack([ndimage.affine_transform(img[c], mat, offset=offset, output_shape=tuple(patch), order=1, mode="constant", cval=0.0) for c in range(img.shape[0])])
    out_lab = ndimage.affine_transform(lab, mat, offset=offset, output_shape=tuple(patch), order=0, mode="constant", cval=0) if lab is not None else np.zeros(patch, np.uint8)
    if augment:
        for ax in range(3):
            if rng.random() < 0.5:
                out_img = np.flip(out_img, axis=ax + 1)
                out_lab = np.flip(out_lab, axis=ax)
        brain = np.any(out_img != 0, axis=0)
        a = rng.uniform(0.9, 1.1, (img.shape[0], 1, 1, 1))
        b = rng.uniform(-0.1, 0.1, (img.shape[0], 1, 1, 1))
        noise = rng.normal(0, rng.uniform(0, 0.05), out_img.shape)
        out_img = np.where(brain[None], out_img * a + b + noise, 0.0)
    return np.ascontiguousarray(out_img, dtype=np.float32), np.ascontiguousarray(out_lab, dtype=np.int64)


def sample_slices_2d(case: Case, size: tuple[int, int], rng: np.random.Generator, p_fg: float = 2 / 3, augment: bool = True):
    """One axial training slice for the 2D U-Net: image [4,sy,sx], label [sy,sx].

    A slice is a 3D patch of depth 1 (same sampling, rotation about the z axis only and scaling,
    flips of y and x, brightness/contrast/noise).
    """
    img, lab = case.image, case.label
    shape = np.array(img.shape[1:])
    centre = None
    if lab is not None and rng.random() < p_fg:
        fg = tumour_voxels(case)
        present = [c for c in (1, 2, 3) if len(fg[c])]
        if present:
            vox = fg[int(rng.choice(present))]
            centre = vox[rng.integers(len(vox))].astype(np.float64)
    if centre is None:
        centre = np.array([rng.integers(shape[0]), *(shape[1:] / 2 + rng.uniform(-0.25, 0.25, 2) * shape[1:])], dtype=np.float64)
    z = int(np.clip(round(centre[0]), 0, shape[0] - 1))
    if augment:
        ang = rng.uniform(-1, 1) * math.radians(15)
        scale = rng.uniform(0.85, 1.15)
        mat = np.array([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]]) / scale
    else:
        mat = np.eye(2)
    ps = np.array(size)
    offset = centre[1:] - mat @ ((ps - 1) / 2.0)
    out_img = np.stack([ndimage.affine_transform(img[c, z], mat, offset=offset, output_shape=size, order=1, mode="constant") for c in range(img.shape[0])])
    out_lab = ndimage.affine_transform(lab[z], mat, offset=offset, output_shape=size, order=0, mode="constant") if lab is not None else np.zeros(size, np.uint8)
    if augment:
        for ax in range(2):
            if rng.random() < 0.5:
                out_img = np.flip(out_img, axis=ax + 1)
                out_lab = np.flip(out_lab, axis=ax)
        brain = np.any(out_img != 0, axis=0)
        a = rng.uniform(0.9, 1.1, (img.shape[0], 1, 1))
        b = rng.uniform(-0.1, 0.1, (img.shape[0], 1, 1))
        noise = rng.normal(0, rng.uniform(0, 0.05), out_img.shape)
        out_img = np.where(brain[None], out_img * a + b + noise, 0.0)
    return np.ascontiguousarray(out_img, dtype=np.float32), np.ascontiguousarray(out_lab, dtype=np.int64)
