"""U-Net models for brain-tumour segmentation (3D on subvolumes, 2D on axial slices).

Both networks take the four co-registered MR sequences as channels, in the order
[FLAIR, T1, T1gd, T2], and return per-voxel logits over four classes
(0 background, 1 edema, 2 non-enhancing tumour, 3 enhancing tumour). Softmax is applied by the
caller (training loss, evaluation, the TypeScript runtime), never inside the exported graph.

Array layouts:
  3D: input  [N, 4, Z, Y, X] float32 -> output [N, 4, Z, Y, X] float32 (logits)
  2D: input  [N, 4, Y, X]    float32 -> output [N, 4, Y, X]    float32 (logits); one axial slice each
Spatial sizes must be multiples of 2**depth (8 with the default three poolings).

Architecture (Ronneberger et al. 2015; Cicek et al. 2016, with the usual modern changes):
each level has two 3x3(x3) convolutions, each followed by instance normalisation (affine) and
LeakyReLU(0.01); the contracting path downsamples with 2x max pooling, the expanding path
upsamples with 2x transposed convolutions and concatenates the skip connection from the same level;
a final 1x1(x1) convolution maps to the four class logits. Filters double per level from `base`.
"""
from __future__ import annotations

import torch
from torch import nn


def _ops(dims: int):
    """Return (Conv, ConvTranspose, InstanceNorm, MaxPool) classes for 2 or 3 spatial dimensions."""
    if dims == 3:
        return nn.Conv3d, nn.ConvTranspose3d, nn.InstanceNorm3d, nn.MaxPool3d
    if dims == 2:
        return nn.Conv2d, nn.ConvTranspose2d, nn.InstanceNorm2d, nn.MaxPool2d
    raise ValueError(f"dims must be 2 or 3, got {dims}")


class DoubleConv(nn.Module):
    """(conv 3^d -> InstanceNorm -> LeakyReLU) x 2; keeps the spatial size."""

    def __init__(self, cin: int, cout: int, dims: int):
        super().__init__()
        conv, _, norm, _ = _ops(dims)
        self.block = nn.Sequential(
            conv(cin, cout, 3, padding=1, bias=False),
            norm(cout, affine=True),
            nn.LeakyReLU(0.01, inplace=True),
            conv(cout, cout, 3, padding=1, bias=False),
            norm(cout, affine=True),
            nn.LeakyReLU(0.01, inplace=True),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.block(x)


class UNet(nn.Module):
    """U-Net with `depth` poolings for 2D or 3D input.

    Args:
        dims: 3 for the volumetric model ([N,C,Z,Y,X]) or 2 for the slice model ([N,C,Y,X]).
        in_channels: 4 ([FLAIR, T1, T1gd, T2]).
        n_classes: 4 (background, edema, non-enhancing, enhancing); outputs are logits.
        base: filters at the first level (doubles per level).
        depth: number of poolings (spatial sizes must be multiples of 2**depth).
    """

    def __init__(self, dims: int = 3, in_channels: int = 4, n_classes: int = 4, base: int = 8, depth: int = 3):
        super().__init__()
        conv, convT, _, pool = _ops(dims)
        self.dims, self.depth, self.base = dims, depth, base
        widths = [base * 2 ** i for i in range(depth + 1)]
        self.down = nn.ModuleList()
        cin = in_channels
        for w in widths[:-1]:
            self.down.append(DoubleConv(cin, w, dims))
            cin = w
        self.pool = pool(2)
        self.bottleneck = DoubleConv(widths[-2], widths[-1], dims)
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        for i in reversed(range(depth)):
            self.up.append(convT(widths[i + 1], widths[i], 2, stride=2))
            self.dec.append(DoubleConv(2 * widths[i], widths[i], dims))
        self.head = conv(widths[0], n_classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for block in self.down:
            x = block(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)
        for up, dec, skip in zip(self.up, self.dec, reversed(skips)):
            x = dec(torch.cat([up(x), skip], dim=1))
        return self.head(x)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
