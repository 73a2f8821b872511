"""Whole-volume inference in PyTorch, mirroring the TypeScript runtime (models/runtime/segment-volume.ts).

3D: the preprocessed crop [4, Z, Y, X] is zero-padded at the end of each axis up to the patch size,
tiled with nnU-Net tile starts (first at 0, last ending at the edge, consecutive starts at most
step*patch apart), each tile's logits weighted by a Gaussian importance map (sigma = patch/8,
clamped below at its smallest positive value), summed, divided by the summed weights, and argmaxed.
2D: each axial slice [4, Y, X] (padded to multiples of 8) goes through the slice model at once.
"""
from __future__ import annotations

import math

import numpy as np
import torch


def tile_starts(size: int, patch: int, step: float) -> list[int]:
    """Same as tileStarts() in models/runtime/sliding-window.ts (JS Math.round = floor(x + 0.5))."""
    if size <= patch:
        return [0]
    count = math.ceil((size - patch) / (patch * step)) + 1
    span = size - patch
    return [int(math.floor(i * span / (count - 1) + 0.5)) for i in range(count)]


def gaussian_importance(patch: tuple[int, int, int], sigma_scale: float = 1 / 8) -> np.ndarray:
    """[pz, py, px] weights, centre 1, sigma = patch*sigma_scale per axis, no zero weights."""
    axes = []
    for n in patch:
        sigma, c = n * sigma_scale, (n - 1) / 2
        axes.append(np.exp(-((np.arange(n) - c) ** 2) / (2 * sigma * sigma)))
    w = axes[0][:, None, None] * axes[1][None, :, None] * axes[2][None, None, :]
    w = np.maximum(w, w[w > 0].min())
    return w.astype(np.float32)


@torch.no_grad()
def predict_logits_3d(model: torch.nn.Module, image: np.ndarray, patch: tuple[int, int, int], step: float = 0.5, device: str = "cpu", batch: int = 1) -> np.ndarray:
    """Blended logits [4, Z, Y, X] for a preprocessed image [4, Z, Y, X] (patch given as (pz, py, px))."""
    model.eval()
    c, *size = image.shape
    padded_size = [max(s, p) for s, p in zip(size, patch)]
    padded = np.zeros((c, *padded_size), np.float32)
    padded[:, : size[0], : size[1], : size[2]] = image
    acc = np.zeros((4, *padded_size), np.float32)
    wsum = np.zeros(padded_size, np.float32)
    g = gaussian_importance(patch)
    origins = [(z, y, x) for z in tile_starts(padded_size[0], patch[0], step) for y in tile_starts(padded_size[1], patch[1], step) for x in tile_starts(padded_size[2], patch[2], step)]
    for i in range(0, len(origins), batch):
        chunk = origins[i: i + batch]
        x = np.stack([padded[:, z: z + patch[0], y: y + patch[1], xx: xx + patch[2]] for z, y, xx in chunk])
        out = model(torch.from_numpy(x).to(device)).float().cpu().numpy()
        for (z, y, xx), o in zip(chunk, out):
            acc[:, z: z + patch[0], y: y + patch[1], xx: xx + patch[2]] += o * g
            wsum[z: z + patch[0], y: y + patch[1], xx: xx + patch[2]] += g
    return (acc / wsum)[:, : size[0], : size[1], : size[2]]


@torch.no_grad()
def predict_logits_2d(model: torch.nn.Module, image: np.ndarray, device: str = "cpu", batch: int = 16) -> np.ndarray:
    """Logits [4, Z, Y, X] from the 2D slice model applied to every axial slice of [4, Z, Y, X]."""
    model.eval()
    c, nz, ny, nx = image.shape
    py, px = -(-ny // 8) * 8, -(-nx // 8) * 8
    slices = np.zeros((nz, c, py, px), np.float32)
    slices[:, :, :ny, :nx] = image.transpose(1, 0, 2, 3)
    out = np.zeros((nz, 4, py, px), np.float32)
    for i in range(0, nz, batch):
        out[i: i + batch] = model(torch.from_numpy(slices[i: i + batch]).to(device)).float().cpu().numpy()
    return out[:, :, :ny, :nx].transpose(1, 0, 2, 3)


def largest_component(labels: np.ndarray) -> np.ndarray:
    """Keep the largest 6-connected tumour component (labels > 0), as models/runtime/largest-component.ts."""
    from scipy import ndimage

    comp, n = ndimage.label(labels > 0)
    if n <= 1:
        return labels
    sizes = np.bincount(comp.ravel())[1:]
    return np.where(comp == 1 + int(np.argmax(sizes)), labels, 0).astype(labels.dtype)


def predict_labels(model: torch.nn.Module, image: np.ndarray, dims: int, patch: tuple[int, int, int] | None = None, step: float = 0.5, device: str = "cpu", postprocess: str = "none") -> np.ndarray:
    """Labels [Z, Y, X] uint8 (argmax over the four classes), then the card's post-processing."""
    if dims == 3:
        logits = predict_logits_3d(model, image, patch, step, device)
    else:
        logits = predict_logits_2d(model, image, device)
    labels = logits.argmax(0).astype(np.uint8)
    return largest_component(labels) if postprocess == "largest-component" else labels
