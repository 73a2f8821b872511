"""Domain randomisation (SynthSeg-style, Billot et al. 2023) for the training cases.

The network must learn the relations between the sequences that a radiologist reads, not the
generator's particular intensities. So, for a share of the training samples, a case is redrawn:

1. Classes. Every brain voxel gets one of 7 tissue classes: CSF, grey matter, white matter (healthy
   voxels, split by 3-means on the case's T1), edema (label 1), solid non-enhancing tumour and
   necrosis (label 2, split by 2-means on T1gd when the two clusters differ by > 0.5 SD),
   enhancing tumour (label 3). Computed once per case (`tissue_classes`).
2. Contrasts. Per sequence, a mean per class drawn at random within the orderings that are
   physically true of that sequence (`draw_contrasts`): T1 WM > GM > CSF, every lesion class darker
   than WM, necrosis darker than solid tumour; T1gd = T1 for everything that does not enhance, the
   enhancing rim brighter than white matter after gadolinium (so brighter than before it); FLAIR CSF
   darkest, edema brighter than GM and WM; T2 CSF > GM > WM, edema brighter than GM, necrosis
   brighter than solid tumour. The case's own texture (the residual around its class means) is kept
   at a random weight 0–0.5, then a Gaussian blur (partial volume) of 0–1 voxel.
3. Scanner: a smooth multiplicative bias field (log-SD up to 0.35), per-channel gamma (log-SD 0.25),
   a random monotone histogram remapping, thick slices (slab of 1.5–2.5 voxels = 3–5 mm at 2 mm along
   one axis, mostly z, then back to the grid by linear interpolation as the runtime does), extra blur,
   Rician noise (SD up to 8 % of the median brain signal), ghosting along one axis.
4. Head: with some probability a synthetic skull and scalp (skull dark on every sequence, scalp fat
   bright on T1/T1gd) a few voxels thick around the brain, so the runtime's crop and z-score include
   head tissue as they do on a skull-on study.

Then the runtime's normalisation (crop to non-zero, z-score per channel) is applied again. A share
of cases (1 - p) is left with the generator's realistic contrasts, so internal accuracy holds.
Everything here runs on numpy/scipy on the preprocessed case ([4, Z, Y, X], z-scored).
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage

# Tissue classes (index into the contrast table); 0 is air (scanner noise only); 8, 9 skull and scalp.
AIR, CSF, GM, WM, EDEMA, SOLID, NECROSIS, ENHANCING, SKULL, SCALP = range(10)
N_CLASSES = 10


def _kmeans_1d(v: np.ndarray, k: int, iters: int = 20) -> np.ndarray:
    """Sorted cluster centres of 1-D values (quantile start, Lloyd iterations)."""
    c = np.quantile(v, (np.arange(k) + 0.5) / k)
    for _ in range(iters):
        lab = np.argmin(np.abs(v[:, None] - c[None]), axis=1)
        c = np.array([v[lab == j].mean() if np.any(lab == j) else c[j] for j in range(k)])
    return np.sort(c)


def _assign(v: np.ndarray, centres: np.ndarray) -> np.ndarray:
    return np.argmin(np.abs(v[:, None] - centres[None]), axis=1)


def tissue_classes(image: np.ndarray, label: np.ndarray) -> np.ndarray:
    """[Z, Y, X] int8 class map of a preprocessed case: AIR outside the head (the cohort's background
    is scanner noise, not zeros), CSF..ENHANCING inside."""
    out = np.zeros(label.shape, np.int8)
    healthy = label == 0
    # Air: dark on every sequence (CSF is bright on T2, so the brightest channel separates them).
    bright = ndimage.uniform_filter(image.max(axis=0), 3)
    v = bright[healthy]
    c = _kmeans_1d(v[:: max(1, v.size // 20000)], 2)
    air = bright < (c[0] + c[1]) / 2
    air = ndimage.binary_opening(air, iterations=1) & healthy
    tissue = healthy & ~air
    out[air] = AIR
    if tissue.sum() > 30:
        v = image[1][tissue]
        out[tissue] = (CSF + _assign(v, _kmeans_1d(v[:: max(1, v.size // 20000)], 3))).astype(np.int8)
    out[label == 1] = EDEMA
    out[label == 3] = ENHANCING
    core = label == 2
    out[core] = SOLID
    if core.sum() > 20:
        v = image[2][core]
        c = _kmeans_1d(v, 2)
        if c[1] - c[0] > 0.5:
            out[core] = np.where(_assign(v, c) == 0, NECROSIS, SOLID).astype(np.int8)
    return out


def draw_contrasts(rng: np.random.Generator) -> np.ndarray:
    """[4, N_CLASSES] class means per channel [FLAIR, T1, T1gd, T2] (index 0 unused), within the
    physically true orderings described in the module doc."""
    u = rng.uniform
    m = np.zeros((4, N_CLASSES))
    # T1: WM > GM > CSF; lesions darker than WM; necrosis darker than solid tumour.
    t1 = m[1]
    t1[WM] = u(0.6, 1.0)
    t1[GM] = t1[WM] * u(0.55, 0.9)
    t1[CSF] = t1[GM] * u(0.15, 0.8)
    t1[EDEMA] = t1[WM] * u(0.4, 0.9)
    t1[SOLID] = t1[WM] * u(0.35, 0.9)
    t1[NECROSIS] = t1[SOLID] * u(0.3, 0.9)
    t1[ENHANCING] = t1[WM] * u(0.4, 0.95)
    # T1gd: what does not enhance keeps its T1 signal; the rim is brighter than WM after gadolinium.
    gd = m[2]
    gd[:] = t1 * u(0.92, 1.08, N_CLASSES)
    gd[SOLID] = t1[SOLID] * u(1.0, 1.25)
    gd[ENHANCING] = gd[WM] * u(1.08, 1.9)
    # FLAIR: CSF darkest, GM > WM, edema brighter than both; tumour brighter than WM.
    fl = m[0]
    fl[WM] = u(0.3, 0.6)
    fl[GM] = fl[WM] * u(1.05, 1.5)
    fl[CSF] = fl[WM] * u(0.03, 0.5)
    fl[EDEMA] = fl[GM] * u(1.15, 2.2)
    fl[SOLID] = fl[WM] * u(1.1, 2.0)
    fl[ENHANCING] = fl[WM] * u(1.05, 2.0)
    fl[NECROSIS] = u(fl[CSF], fl[EDEMA])
    # T2: CSF > GM > WM; edema brighter than GM; necrosis brighter than solid tumour.
    t2 = m[3]
    t2[WM] = u(0.25, 0.5)
    t2[GM] = t2[WM] * u(1.1, 1.7)
    t2[CSF] = t2[GM] * u(1.3, 2.5)
    t2[EDEMA] = t2[GM] * u(1.1, 1.9)
    t2[SOLID] = t2[WM] * u(1.2, 2.2)
    t2[NECROSIS] = t2[SOLID] * u(1.05, 1.6)
    t2[ENHANCING] = t2[WM] * u(1.1, 2.0)
    return m


def _smooth_field(shape: tuple[int, ...], rng: np.random.Generator, sd: float, nodes: int = 4) -> np.ndarray:
    """exp of a smooth random field (linear upsampling of a nodes³ Gaussian grid), log-SD about `sd`."""
    coarse = rng.normal(0, sd, (nodes,) * len(shape)).astype(np.float32)
    f = ndimage.zoom(coarse, [s / nodes for s in shape], order=1, mode="nearest", grid_mode=True)
    return np.exp(f[tuple(slice(0, s) for s in shape)])


def _thick_slices(vol: np.ndarray, axis: int, factor: float) -> np.ndarray:
    """Slab averaging of `factor` voxels along `axis`, sampled every `factor` voxels and linearly
    interpolated back (what a thick-slice study looks like after the runtime resamples it)."""
    blurred = ndimage.gaussian_filter1d(vol, sigma=factor / 2.355, axis=axis, mode="nearest")
    zoom = [1.0] * vol.ndim
    zoom[axis] = 1 / factor
    coarse = ndimage.zoom(blurred, zoom, order=1, mode="nearest", grid_mode=True)
    zoom[axis] = vol.shape[axis] / coarse.shape[axis]
    back = ndimage.zoom(coarse, zoom, order=1, mode="nearest", grid_mode=True)
    out = np.zeros_like(vol)
    n = min(vol.shape[axis], back.shape[axis])
    sl = [slice(None)] * vol.ndim
    sl[axis] = slice(0, n)
    out[tuple(sl)] = back[tuple(sl)]
    return out


def _add_head(classes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Skull (dark on every sequence) and scalp shells in the air around the head, a few voxels thick."""
    inside = classes != AIR
    inside = ndimage.binary_fill_holes(ndimage.binary_closing(inside, iterations=2))
    dist = ndimage.distance_transform_edt(~inside)
    skull_t = rng.uniform(1.0, 2.5)
    scalp_t = rng.uniform(1.0, 3.0)
    gap = rng.uniform(0, 1.0)
    out = classes.copy()
    air = classes == AIR
    out[air & (dist > gap) & (dist <= gap + skull_t)] = SKULL
    out[air & (dist > gap + skull_t) & (dist <= gap + skull_t + scalp_t)] = SCALP
    return out


def randomize_case(image: np.ndarray, label: np.ndarray, classes: np.ndarray, rng: np.random.Generator, p_head: float = 0.2, p_thick: float = 0.3):
    """A domain-randomised version of one preprocessed case: image [4,Z,Y,X] z-scored as the runtime
    does, with the same labels (returned for symmetry with the sampler)."""
    m = draw_contrasts(rng)
    if rng.random() < p_head:
        classes = _add_head(classes, rng)
        m[:, SKULL] = rng.uniform(0.01, 0.15, 4) * m[:, WM]
        m[1, SCALP] = m[1, WM] * rng.uniform(0.9, 1.4)  # scalp fat bright on T1
        m[2, SCALP] = m[1, SCALP] * rng.uniform(0.95, 1.1)
        m[0, SCALP] = m[0, WM] * rng.uniform(0.6, 1.6)
        m[3, SCALP] = m[3, WM] * rng.uniform(0.8, 2.0)
    shape = classes.shape
    counts = np.maximum(np.bincount(classes.ravel(), minlength=N_CLASSES), 1)
    w_tex = rng.uniform(0, 0.5)
    sigma_pv = rng.uniform(0, 1.0)
    thick_axis = None
    if rng.random() < p_thick:
        thick_axis = 0 if rng.random() < 0.7 else int(rng.integers(1, 3))
        thick = rng.uniform(1.5, 2.5)
    ghost_axis = int(rng.integers(0, 3)) if rng.random() < 0.15 else None
    blur = rng.uniform(0.3, 0.8) if rng.random() < 0.25 else 0.0
    tissue = classes != AIR
    out = np.empty(image.shape, np.float32)
    for c in range(4):
        ch = image[c]
        # The case's own texture around its class means (z-score units), scaled to the new contrast.
        class_mean = (np.bincount(classes.ravel(), weights=ch.ravel(), minlength=N_CLASSES) / counts).astype(np.float32)
        vol = (m[c].astype(np.float32)[classes]) * (1 + np.float32(w_tex * 0.15) * (ch - class_mean[classes]))
        vol = np.maximum(vol, 0)
        if sigma_pv > 0.2:
            vol = ndimage.gaussian_filter(vol, sigma_pv)
        vol = vol * _smooth_field(shape, rng, rng.uniform(0, 0.35))
        med = float(np.median(vol[tissue][::7])) or 1.0
        vol = np.power(np.maximum(vol / med, 0), np.float32(np.exp(rng.normal(0, 0.25))))
        # Random monotone histogram remapping (5 pieces over the intensity range).
        top = float(np.quantile(vol[tissue][::7], 0.995)) or 1.0
        inc = rng.uniform(0.6, 1.4, 5)
        vol = np.interp(vol, np.linspace(0, top, 6), np.concatenate([[0], np.cumsum(inc)]) / inc.sum() * top, right=None).astype(np.float32)
        vol[vol > top] = (vol[vol > top] - top) + np.float32(np.concatenate([[0], np.cumsum(inc)])[-1] / inc.sum() * top)
        if thick_axis is not None:
            vol = _thick_slices(vol, thick_axis, thick)
        if blur:
            vol = ndimage.gaussian_filter(vol, blur)
        if ghost_axis is not None:
            vol = vol + np.float32(rng.uniform(0.03, 0.12)) * np.roll(vol, shape[ghost_axis] // 2, axis=ghost_axis)
        # Rician noise everywhere (the air stays noise, as in the cohort).
        sd = np.float32(rng.uniform(0.01, 0.08))
        vol = np.sqrt((vol + sd * rng.standard_normal(shape, dtype=np.float32)) ** 2 + (sd * rng.standard_normal(shape, dtype=np.float32)) ** 2)
        out[c] = vol
    # The runtime's normalisation: z-score per channel over the voxels non-zero in any channel.
    nz = np.any(out != 0, axis=0)
    for c in range(4):
        v = out[c][nz].astype(np.float64)
        out[c] = np.where(nz, (out[c] - np.float32(v.mean())) / np.float32(v.std() or 1.0), 0)
    return out, label
