"""Sparse U-Net on spconv (SpUNet-v1m1 shape), readable top to bottom.

Input: an ``spconv.SparseConvTensor`` of voxel features. Output: per-voxel features at
the input resolution (``out_channels = channels[-1]``), or per-voxel logits when
``num_classes`` is set. Encoder stages halve the resolution with a stride-2 sparse conv,
decoder stages undo it with the matching inverse conv and concatenate the skip features.
"""
from typing import Sequence

import spconv.pytorch as spconv
import torch
# mmdet3d patches spconv's state-dict loading (spconv 1/2 kernel layouts, keyed on the module
# version in the checkpoint). Importing it here makes every SpUNet save and load under that
# same convention, whether or not the rest of the process imported mmdet3d.
from mmdet3d.models.layers import spconv as _mmdet3d_spconv  # noqa: F401
from mmengine.model import BaseModule
from torch import nn

from ..registry import register_in
from .voxelize import sparse_shape


def _norm(channels: int) -> nn.Module:
    return nn.BatchNorm1d(channels, eps=1e-3, momentum=0.01)


class SparseBasicBlock(spconv.SparseModule):
    """Two submanifold 3x3x3 convs with a residual (1x1 projection when widths differ)."""

    def __init__(self, in_channels: int, out_channels: int, indice_key: str):
        super().__init__()
        if in_channels == out_channels:
            self.proj = spconv.Identity()
        else:
            self.proj = spconv.SparseSequential(
                spconv.SubMConv3d(in_channels, out_channels, 1, bias=False),
                _norm(out_channels))
        self.conv1 = spconv.SubMConv3d(
            in_channels, out_channels, 3, padding=1, bias=False, indice_key=indice_key)
        self.norm1 = _norm(out_channels)
        self.conv2 = spconv.SubMConv3d(
            out_channels, out_channels, 3, padding=1, bias=False, indice_key=indice_key)
        self.norm2 = _norm(out_channels)
        self.relu = nn.ReLU()

    def forward(self, x: spconv.SparseConvTensor) -> spconv.SparseConvTensor:
        identity = self.proj(x).features
        out = self.conv1(x)
        out = out.replace_feature(self.relu(self.norm1(out.features)))
        out = self.conv2(out)
        return out.replace_feature(self.relu(self.norm2(out.features) + identity))


def _conv_norm_relu(conv: nn.Module, channels: int) -> spconv.SparseSequential:
    return spconv.SparseSequential(conv, _norm(channels), nn.ReLU())


@register_in('mmengine')  # the root registry: every library scope finds it
class SpUNet(BaseModule):
    """SpUNet-v1m1: encoder 32/64/128/256, decoder 256/128/96/96, blocks 2/3/4/6/2/2/2/2."""

    def __init__(self,
                 in_channels: int,
                 num_classes: int = 0,
                 base_channels: int = 32,
                 channels: Sequence[int] = (32, 64, 128, 256, 256, 128, 96, 96),
                 layers: Sequence[int] = (2, 3, 4, 6, 2, 2, 2, 2),
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        assert len(channels) == len(layers) and len(channels) % 2 == 0, \
            'channels and layers need one entry per encoder and decoder stage'
        self.num_stages = len(channels) // 2
        self.in_channels = in_channels
        self.out_channels = channels[-1]
        self.stem = _conv_norm_relu(
            spconv.SubMConv3d(in_channels, base_channels, 5, padding=1, bias=False,
                              indice_key='stem'), base_channels)

        self.down, self.enc = nn.ModuleList(), nn.ModuleList()
        skip_channels = [base_channels]
        width = base_channels
        for s in range(self.num_stages):
            self.down.append(_conv_norm_relu(
                spconv.SparseConv3d(width, channels[s], 2, stride=2, bias=False,
                                    indice_key=f'spconv{s + 1}'), channels[s]))
            self.enc.append(spconv.SparseSequential(*[
                SparseBasicBlock(channels[s], channels[s], f'subm{s + 1}')
                for _ in range(layers[s])]))
            width = channels[s]
            skip_channels.append(width)

        self.up, self.dec = nn.ModuleList(), nn.ModuleList()
        skip_channels.pop()  # the deepest encoder output is the decoder input, not a skip
        for d in range(self.num_stages):
            s = self.num_stages + d
            level = self.num_stages - d  # resolution level this decoder stage returns to
            skip = skip_channels.pop()
            self.up.append(_conv_norm_relu(
                spconv.SparseInverseConv3d(width, channels[s], 2, bias=False,
                                           indice_key=f'spconv{level}'), channels[s]))
            blocks = [SparseBasicBlock(channels[s] + skip, channels[s], f'subm{level - 1}')]
            blocks += [SparseBasicBlock(channels[s], channels[s], f'subm{level - 1}')
                       for _ in range(layers[s] - 1)]
            self.dec.append(spconv.SparseSequential(*blocks))
            width = channels[s]

        self.head = (spconv.SubMConv3d(width, num_classes, 1, bias=True)
                     if num_classes > 0 else None)

    def forward(self, x, coors=None):
        """``x``: a SparseConvTensor, or (with ``coors``, (V, 4) int batch-first voxel
        coordinates) a (V, C) voxel feature tensor, as mmdet3d's ``MinkUNet`` passes them;
        then the (V, C_out) output features are returned in the same voxel order."""
        if coors is None:
            return self._forward_sparse(x)
        coors = coors.int()
        tensor = spconv.SparseConvTensor(x, coors, sparse_shape(coors),
                                         int(coors[:, 0].max()) + 1)
        return self._forward_sparse(tensor).features

    def _forward_sparse(self, x: spconv.SparseConvTensor) -> spconv.SparseConvTensor:
        # Each stride-2 stage halves every axis: an axis one voxel thick (a flat crop) would
        # reach size 0, so pad the grid to a multiple of 2**stages (indices are unchanged).
        x = spconv.SparseConvTensor(x.features, x.indices,
                                    sparse_shape(x.indices, 2 ** self.num_stages), x.batch_size)
        x = self.stem(x)
        skips = [x]
        for down, enc in zip(self.down, self.enc):
            x = enc(down(x))
            skips.append(x)
        skips.pop()
        for up, dec in zip(self.up, self.dec):
            x = up(x)
            skip = skips.pop()
            x = dec(x.replace_feature(torch.cat([x.features, skip.features], dim=1)))
        return self.head(x) if self.head is not None else x
