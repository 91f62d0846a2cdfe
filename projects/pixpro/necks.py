"""PixPro's projector: a per-pixel (1x1-conv) MLP neck."""
from mmengine.model import BaseModule
from torch import nn

from ..common.registry import register_in


@register_in('mmpretrain')
class ConvMLPNeck(BaseModule):
    """Per-pixel MLP: conv1x1 -> BN -> ReLU -> conv1x1 (release ``MLP2d``).

    Takes the backbone's tuple of maps and projects the last one; returns a 1-tuple.
    """

    def __init__(self, in_channels: int, hid_channels: int, out_channels: int,
                 norm_cfg: dict = dict(type='BN'), init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        from mmcv.cnn import build_norm_layer
        self.mlp = nn.Sequential(
            nn.Conv2d(in_channels, hid_channels, 1),
            build_norm_layer(norm_cfg, hid_channels)[1],
            nn.ReLU(inplace=True),
            nn.Conv2d(hid_channels, out_channels, 1))

    def forward(self, inputs) -> tuple:
        x = inputs[-1] if isinstance(inputs, (tuple, list)) else inputs
        return (self.mlp(x), )
