"""Distillation with contrast for point clouds, as an mmpretrain self-supervised algorithm."""
from typing import Dict, List

import torch
from mmpretrain.models.selfsup.base import BaseSelfSupervisor
from mmpretrain.models.utils import CosineEMA
from mmpretrain.registry import MODELS
from torch import Tensor, nn

from ..common.checkpoint import rename_legacy_keys
from ..common.registry import register_in

# State-dict names before the projection became a neck and the losses a head.
_LEGACY_KEYS = (('head.mlp.', 'neck.mlp.'), ('head.prototypes.', 'neck.prototypes.'),
                ('center', 'head.center'))


@register_in('mmpretrain')
class PointDistillation(BaseSelfSupervisor):
    """Student (backbone + DINO projection neck) on global and local crops, cosine-EMA
    teacher on the global crops only, ``DistillContrastHead`` for the loss.

    Args:
        backbone: the point ViT.
        neck: ``DINOProjectionNeck``; ``in_channels`` defaults to the backbone's
            ``out_channels``.
        head: ``DistillContrastHead``; ``num_prototypes`` defaults to the neck's.
        num_global_crops: how many leading crops are global (the teacher's inputs).
        base_momentum: ``1 - m0`` (0.004: teacher momentum 0.996 -> 1, cosine).
    """

    def __init__(self, backbone: dict, neck: dict, head: dict, num_global_crops: int = 2,
                 base_momentum: float = 0.004, data_preprocessor=None, init_cfg=None):
        super().__init__(backbone=backbone,
                         data_preprocessor=data_preprocessor or dict(type='BaseDataPreprocessor'),
                         init_cfg=init_cfg)
        self.neck = MODELS.build(dict(dict(in_channels=self.backbone.out_channels), **neck))
        self.head = MODELS.build(dict(dict(num_prototypes=self.neck.out_channels), **head))
        self.num_global_crops = num_global_crops
        self.teacher = CosineEMA(nn.ModuleList([self.backbone, self.neck]),
                                 momentum=base_momentum)
        self._register_load_state_dict_pre_hook(rename_legacy_keys(_LEGACY_KEYS))

    @staticmethod
    def _run(modules, crops: List[Tensor]):
        """(scores, embeddings) per crop; crops of one size share a forward pass."""
        backbone, neck = modules
        outputs = [None] * len(crops)
        sizes = sorted({c.shape[1] for c in crops})
        for size in sizes:
            ids = [i for i, c in enumerate(crops) if c.shape[1] == size]
            scores, embeddings = neck(backbone(torch.cat([crops[i] for i in ids]))[0])
            for i, s, e in zip(ids, scores.chunk(len(ids)), embeddings.chunk(len(ids))):
                outputs[i] = (s, e)
        return outputs

    def extract_feat(self, inputs: Tensor):
        return self.backbone(inputs)

    def loss(self, inputs: List[Tensor], data_samples=None, **kwargs) -> Dict[str, Tensor]:
        g = self.num_global_crops
        if not isinstance(inputs, (list, tuple)) or len(inputs) < g:
            raise ValueError(f'PointDistillation needs a list of >= {g} crops per object')
        student = self._run([self.backbone, self.neck], list(inputs))
        with torch.no_grad():
            self.teacher.update_parameters(nn.ModuleList([self.backbone, self.neck]))
            teacher = self._run(self.teacher.module, list(inputs[:g]))
        return self.head.loss(student, teacher)
