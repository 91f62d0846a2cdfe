"""PixPro ("Propagate Yourself", Xie et al. 2021) as an mmpretrain self-supervised algorithm."""
from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from mmpretrain.models.selfsup.base import BaseSelfSupervisor
from mmpretrain.models.utils import CosineEMA
from mmpretrain.registry import MODELS
from torch import Tensor, nn

from ..common.registry import register_in
from .losses import instance_consistency_loss


@register_in('mmpretrain')
class PixPro(BaseSelfSupervisor):
    """Online encoder + projector, cosine-EMA momentum copy, dense head on both views.

    Args:
        backbone, neck, head: configs of the encoder, the 1x1-conv projector and the
            dense head (``PixProHead`` or ``PixContrastHead``).
        base_momentum: ``1 - m0`` in mmengine's EMA convention; the momentum encoder's
            ``m`` follows ``1 - base_momentum * (cos(pi k / K) + 1) / 2``: 0.99 -> 1.
        instance_neck, instance_predictor: per-pixel MLPs of the optional BYOL-style
            instance branch (pooled after the MLPs, as in the release).
        instance_loss_weight: alpha of the instance branch; 0 disables it.
    """

    def __init__(self, backbone: dict, neck: dict, head: dict,
                 base_momentum: float = 0.01,
                 instance_neck: Optional[dict] = None,
                 instance_predictor: Optional[dict] = None,
                 instance_loss_weight: float = 0.0,
                 pretrained: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg=None):
        super().__init__(backbone=backbone, neck=neck, head=head, pretrained=pretrained,
                         data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.instance_loss_weight = instance_loss_weight
        if instance_loss_weight > 0:
            if instance_neck is None or instance_predictor is None:
                raise ValueError('instance_loss_weight > 0 needs instance_neck and '
                                 'instance_predictor configs')
            self.instance_neck = MODELS.build(instance_neck)
            self.instance_predictor = MODELS.build(instance_predictor)
        self.target_net = CosineEMA(self._mirrored(), momentum=base_momentum)

    @property
    def with_instance(self) -> bool:
        return self.instance_loss_weight > 0

    def _mirrored(self) -> nn.ModuleList:
        """The online modules the momentum encoder mirrors (a view, not a copy)."""
        modules = [self.backbone, self.neck]
        if self.with_instance:
            modules.append(self.instance_neck)
        return nn.ModuleList(modules)

    @staticmethod
    def _encode(modules: nn.ModuleList, img: Tensor):
        """Dense projection (N, C, H, W) and, with the instance branch, its projection."""
        feats = modules[0](img)
        dense = modules[1](feats)[0]
        instance = modules[2](feats)[0] if len(modules) > 2 else None
        return dense, instance

    def extract_feat(self, inputs: Tensor):
        return self.backbone(inputs)

    def loss(self, inputs: List[Tensor], data_samples: list, **kwargs) -> Dict[str, Tensor]:
        assert isinstance(inputs, list) and len(inputs) == 2, 'PixPro needs two views'
        coords = [torch.stack([torch.as_tensor(ds.crop_coord[v]) for ds in data_samples])
                  .to(inputs[v].device, torch.float32) for v in range(2)]
        online = [self._encode(self._mirrored(), img) for img in inputs]
        with torch.no_grad():
            self.target_net.update_parameters(self._mirrored())
            target = [self._encode(self.target_net.module, img) for img in inputs]

        losses = dict(loss_pixel=self.head.loss([o[0] for o in online], [t[0] for t in target],
                                                coords))
        if self.with_instance:
            pred = [F.adaptive_avg_pool2d(self.instance_predictor((o[1], ))[0], 1).flatten(1)
                    for o in online]
            tgt = [F.adaptive_avg_pool2d(t[1], 1).flatten(1) for t in target]
            losses['loss_instance'] = self.instance_loss_weight * (
                instance_consistency_loss(pred[0], tgt[1])
                + instance_consistency_loss(pred[1], tgt[0]))
        return losses
