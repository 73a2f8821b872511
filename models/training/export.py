"""ONNX export of the 3D U-Net and its self-test values.

Graph contract: opset 17; input `image` float32 [1, 4, Z, Y, X] (channels FLAIR, T1, T1gd, T2;
Z, Y, X dynamic, each a multiple of 8); output `logits` float32 [1, 4, Z, Y, X] (classes background,
edema, non-enhancing, enhancing; no softmax in the graph).

The self-test input is the registry's test volume (models/registry/verify-model.ts):
  image[0, c, z, y, x] = sin((x + c) / 5) * cos(y / 7) + z / pz
so the TypeScript side can recompute it and compare its onnxruntime output with PyTorch's numbers.
"""
from __future__ import annotations

import hashlib

import numpy as np
import onnx
import torch


def selftest_input(patch_zyx: tuple[int, int, int]) -> np.ndarray:
    """[1, 4, pz, py, px] float32, the registry's smooth test volume."""
    pz, py, px = patch_zyx
    z, y, x = np.meshgrid(np.arange(pz), np.arange(py), np.arange(px), indexing="ij")
    img = np.stack([np.sin((x + c) / 5) * np.cos(y / 7) + z / pz for c in range(4)]).astype(np.float32)
    return img[None]


def selftest_record(model: torch.nn.Module, patch_zyx: tuple[int, int, int]) -> dict:
    """PyTorch output summary on the self-test input: per-channel mean, a few values, argmax counts."""
    with torch.no_grad():
        out = model(torch.from_numpy(selftest_input(patch_zyx))).numpy()[0]
    flat = out.reshape(4, -1)
    probe = [0, 1, 1000, flat.shape[1] // 2, flat.shape[1] - 1]
    return {
        "input": "image[0,c,z,y,x] = sin((x + c) / 5) * cos(y / 7) + z / pz, float32",
        "shape": [1, 4, *patch_zyx],
        "logitsMeanPerChannel": [float(v) for v in flat.mean(1)],
        "logitsAtFlatIndex": {str(i): [float(v) for v in flat[:, i]] for i in probe},
        "argmaxCounts": [int(v) for v in np.bincount(out.argmax(0).ravel(), minlength=4)],
        "tolerance": 1e-3,
    }


def export_onnx(model: torch.nn.Module, path: str, patch_zyx: tuple[int, int, int]) -> dict:
    """Export, check with onnx.checker, and return {sha256, bytes, opset, selfTest}."""
    model = model.cpu().eval()
    dummy = torch.from_numpy(selftest_input(patch_zyx))
    torch.onnx.export(
        model, dummy, path, opset_version=17, input_names=["image"], output_names=["logits"],
        dynamic_axes={"image": {2: "Z", 3: "Y", 4: "X"}, "logits": {2: "Z", 3: "Y", 4: "X"}},
        do_constant_folding=True,
    )
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    with open(path, "rb") as f:
        data = f.read()
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "opset": 17, "selfTest": selftest_record(model, patch_zyx)}
