"""PixPro and PixContrast heads: turn the two views' dense projections into a loss."""
from typing import Sequence

import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from ..common.registry import register_in
from .geometry import positive_mask
from .losses import pixcontrast_loss, pixel_to_propagation_loss
from .propagation import PixelPropagation


class _TwoViewDenseHead(BaseModule):
    """Shared plumbing: positive masks between the views and symmetrisation by sum."""

    def __init__(self, pos_threshold: float = 0.7, loss_weight: float = 1.0, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.pos_threshold = pos_threshold
        self.loss_weight = loss_weight

    def one_direction(self, online: Tensor, target: Tensor, mask: Tensor) -> Tensor:
        raise NotImplementedError

    def loss(self, online: Sequence[Tensor], target: Sequence[Tensor],
             coords: Sequence[Tensor]) -> Tensor:
        """online/target: two (N, C, H, W) maps; coords: two (N, 4) crop boxes."""
        height, width = online[0].shape[-2:]
        mask_ab = positive_mask(coords[0], coords[1], height, width, self.pos_threshold)
        target = [F.normalize(t.detach(), dim=1).flatten(2) for t in target]
        loss = (self.one_direction(online[0], target[1], mask_ab)
                + self.one_direction(online[1], target[0], mask_ab.transpose(1, 2)))
        return self.loss_weight * loss


@register_in('mmpretrain')
class PixProHead(_TwoViewDenseHead):
    """Pixel propagation on the online branch, pixel-to-propagation consistency loss."""

    def __init__(self, channels: int = 256, transform_layers: int = 1, gamma: float = 2.0,
                 clamp_value: float = 0.0, norm_cfg: dict = dict(type='BN'), **kwargs):
        super().__init__(**kwargs)
        self.ppm = PixelPropagation(channels, transform_layers, gamma, clamp_value, norm_cfg)

    def one_direction(self, online, target, mask):
        return pixel_to_propagation_loss(self.ppm(online), target, mask)


@register_in('mmpretrain')
class PixContrastHead(_TwoViewDenseHead):
    """PixContrast: per-pixel InfoNCE, positives within the threshold, the rest negatives."""

    def __init__(self, temperature: float = 0.3, **kwargs):
        super().__init__(**kwargs)
        self.temperature = temperature

    def one_direction(self, online, target, mask):
        query = F.normalize(online, dim=1).flatten(2)
        return pixcontrast_loss(query, target, mask, self.temperature)
