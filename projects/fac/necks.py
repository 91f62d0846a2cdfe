"""FAC's projector: a per-point MLP neck on the sparse U-Net's point features."""
from mmengine.model import BaseModule
from torch import Tensor, nn

from ..common.registry import register_in


@register_in('mmpretrain')
class PointProjectorNeck(BaseModule):
    """linear -> BN -> ReLU -> linear on (N, C) point features (our reading of the paper's
    projector; unverified). ``in_channels`` defaults to the backbone's width (set by FAC)."""

    def __init__(self, in_channels: int, out_channels: int = 128, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.out_channels = out_channels
        self.mlp = nn.Sequential(nn.Linear(in_channels, out_channels),
                                 nn.BatchNorm1d(out_channels), nn.ReLU(inplace=True),
                                 nn.Linear(out_channels, out_channels))

    def forward(self, feats: Tensor) -> Tensor:
        return self.mlp(feats)
