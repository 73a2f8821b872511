"""Segmentation metrics per region (WT = {1,2,3}, TC = {2,3}, ET = {3}).

Conventions (stated in the model card):
  * Dice: 2|P∩G| / (|P| + |G|). Both empty -> 1. One empty -> 0.
  * HD95 (mm): symmetric 95th-percentile Hausdorff distance between the surface voxels of P and G
    (surface = voxels of the mask with a 6-neighbour outside it), distances in mm using the voxel
    spacing; max of the two directed 95th percentiles (as MONAI compute_hausdorff_distance with
    percentile=95). Both empty -> 0. One empty -> NaN, and such cases are counted separately
    (`hd95_undefined`), never averaged in.
  * Sensitivity: |P∩G| / |G|; NaN when G is empty (excluded from means, counted).
  * Specificity: |¬P∩¬G| / |¬G| over the whole (cropped) volume; dominated by background, so
    close to 1 by construction; reported because the platform's reports list it.
Arrays are [Z, Y, X] label maps (uint8 0..3); spacing is (sz, sy, sx) in mm.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import ndimage

REGIONS = {"WT": (1, 2, 3), "TC": (2, 3), "ET": (3,)}


def _surface(mask: np.ndarray) -> np.ndarray:
    return mask & ~ndimage.binary_erosion(mask, structure=ndimage.generate_binary_structure(3, 1), border_value=0)


def hd95(pred: np.ndarray, gt: np.ndarray, spacing) -> float:
    """95th-percentile symmetric Hausdorff distance in mm (see module docstring for empty masks)."""
    if not pred.any() and not gt.any():
        return 0.0
    if not pred.any() or not gt.any():
        return math.nan
    sp, sg = _surface(pred), _surface(gt)
    # Distances only between the two surfaces: the transforms on their joint bounding box (+1 voxel)
    # give the same values as on the whole volume, far faster on a large grid.
    idx = np.argwhere(sp | sg)
    lo, hi = np.maximum(idx.min(0) - 1, 0), idx.max(0) + 2
    box = tuple(slice(a, b) for a, b in zip(lo, hi))
    sp, sg = sp[box], sg[box]
    dist_to_g = ndimage.distance_transform_edt(~sg, sampling=spacing)
    dist_to_p = ndimage.distance_transform_edt(~sp, sampling=spacing)
    return float(max(np.percentile(dist_to_g[sp], 95), np.percentile(dist_to_p[sg], 95)))


def region_metrics(pred_labels: np.ndarray, gt_labels: np.ndarray, spacing) -> dict:
    """{region: {dice, hd95, sensitivity, specificity, gt_voxels, pred_voxels}} for WT, TC, ET."""
    out = {}
    for name, classes in REGIONS.items():
        p = np.isin(pred_labels, classes)
        g = np.isin(gt_labels, classes)
        tp = int(np.count_nonzero(p & g))
        np_, ng = int(p.sum()), int(g.sum())
        tn = int(p.size - np_ - ng + tp)
        dice = 1.0 if np_ + ng == 0 else 2 * tp / (np_ + ng)
        out[name] = {
            "dice": dice,
            "hd95": hd95(p, g, spacing),
            "sensitivity": tp / ng if ng else math.nan,
            "specificity": tn / (p.size - ng) if p.size - ng else math.nan,
            "gt_voxels": ng,
            "pred_voxels": np_,
        }
    return out


def summarize(per_case: list[dict]) -> dict:
    """Mean (and SD) per region and metric over cases, NaNs excluded and counted."""
    summary = {}
    for name in REGIONS:
        s = {}
        for key in ("dice", "hd95", "sensitivity", "specificity"):
            vals = np.array([c["metrics"][name][key] for c in per_case], dtype=np.float64)
            ok = vals[~np.isnan(vals)]
            s[key] = float(ok.mean()) if len(ok) else math.nan
            s[key + "_sd"] = float(ok.std(ddof=1)) if len(ok) > 1 else math.nan
            s[key + "_undefined"] = int(np.isnan(vals).sum())
        nonempty = [c["metrics"][name]["dice"] for c in per_case if c["metrics"][name]["gt_voxels"] > 0]
        s["dice_nonempty_gt"] = float(np.mean(nonempty)) if nonempty else math.nan
        s["n_nonempty_gt"] = len(nonempty)
        summary[name] = s
    summary["n"] = len(per_case)
    return summary
