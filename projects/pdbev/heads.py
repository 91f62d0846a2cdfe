"""PDBEV's heads: the Laplacian depth head on image features and the BEV segmentation head
(Dice + BCE, mmdet's losses). Detection uses mmdet3d's ``CenterHead``."""
from typing import Dict

import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmdet3d.registry import MODELS
from torch import Tensor, nn

from ..common.registry import register_in


@register_in('mmdet3d')
class BEVSegHead(nn.Module):
    """Per-class sigmoid BEV segmentation (drivable area, ...) with Dice + BCE (mmdet's)."""

    def __init__(self, in_channels: int, num_classes: int = 1, channels: int = 64,
                 loss_dice=dict(type='mmdet.DiceLoss', use_sigmoid=True, loss_weight=1.0),
                 loss_bce=dict(type='mmdet.CrossEntropyLoss', use_sigmoid=True,
                               loss_weight=1.0)):
        super().__init__()
        self.conv = ConvModule(in_channels, channels, 3, padding=1, norm_cfg=dict(type='BN'))
        self.cls = nn.Conv2d(channels, num_classes, 1)
        self.loss_dice, self.loss_bce = MODELS.build(loss_dice), MODELS.build(loss_bce)

    def forward(self, bev: Tensor, size) -> Tensor:
        logits = self.cls(self.conv(bev))
        return F.interpolate(logits, size=size, mode='bilinear', align_corners=False)

    def loss(self, logits: Tensor, target: Tensor) -> Dict[str, Tensor]:
        flat, tgt = logits.flatten(0, 1).flatten(1), target.flatten(0, 1).flatten(1).float()
        return dict(loss_seg_dice=self.loss_dice(flat, tgt),
                    loss_seg_bce=self.loss_bce(flat, tgt))


@register_in('mmdet3d')
class LaplacianDepthHead(nn.Module):
    """Per pixel mu = ReLU(conv(x)) and b = ReLU(conv(x)) + min_scale [m].

    The two output convolutions start with biases ``mu_init`` and ``b_init`` [m] (not in
    the spec): starting mu near zero leaves half of the ReLUs dead and the depth far from
    the targets for thousands of steps.
    """

    def __init__(self, in_channels: int, mid_channels: int = 64, min_scale: float = 0.1,
                 mu_init: float = 10.0, b_init: float = 1.0):
        super().__init__()
        self.conv = ConvModule(in_channels, mid_channels, 3, padding=1,
                               norm_cfg=dict(type='BN'))
        self.mu = nn.Conv2d(mid_channels, 1, 1)
        self.b = nn.Conv2d(mid_channels, 1, 1)
        nn.init.constant_(self.mu.bias, mu_init)
        nn.init.constant_(self.b.bias, b_init)
        self.min_scale = min_scale

    def forward(self, x: Tensor):
        x = self.conv(x)
        return F.relu(self.mu(x))[:, 0], F.relu(self.b(x))[:, 0] + self.min_scale
