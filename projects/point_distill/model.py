"""Distillation with contrast for point clouds, as an mmpretrain self-supervised algorithm."""
from typing import Dict, List

import torch
from mmengine.dist import all_gather, get_rank, get_world_size
from mmengine.logging import MessageHub
from mmpretrain.models.selfsup.base import BaseSelfSupervisor
from mmpretrain.models.utils import CosineEMA
from torch import Tensor, nn

from ..common.registry import register_in
from .losses import dino_loss, info_nce, updated_center


@register_in('mmpretrain')
class PointDistillation(BaseSelfSupervisor):
    """Student (backbone + DINO head) on global and local crops, cosine-EMA teacher on the
    global crops only.

    Loss = dino_weight * DINO(teacher globals -> every other student crop)
         + contrast_weight * InfoNCE(student global a, teacher global b != a), negatives the
           other objects of the (all-process) batch, on the head's normalised bottleneck.

    Args:
        num_global_crops: how many leading crops are global (the teacher's inputs).
        base_momentum: ``1 - m0`` (0.004: teacher momentum 0.996 -> 1, cosine).
        student_temp, teacher_temp, warmup_teacher_temp, warmup_teacher_temp_iters:
            temperatures; the teacher's goes linearly from the warm-up value to its final
            value over the first iterations.
        center_momentum: momentum of the teacher-output centre.
        dino_weight: weight of the DINO term.
        contrast_temp, contrast_weight: the InfoNCE term (0 weight: DINO only).
    """

    def __init__(self, backbone: dict, head: dict, num_global_crops: int = 2,
                 base_momentum: float = 0.004, student_temp: float = 0.1,
                 teacher_temp: float = 0.04, warmup_teacher_temp: float = 0.04,
                 warmup_teacher_temp_iters: int = 0, center_momentum: float = 0.9,
                 dino_weight: float = 1.0, contrast_temp: float = 0.2,
                 contrast_weight: float = 1.0, data_preprocessor=None, init_cfg=None):
        super().__init__(backbone=backbone, head=head,
                         data_preprocessor=data_preprocessor or dict(type='BaseDataPreprocessor'),
                         init_cfg=init_cfg)
        self.num_global_crops = num_global_crops
        self.student_temp = student_temp
        self.teacher_temp = teacher_temp
        self.warmup_teacher_temp = warmup_teacher_temp
        self.warmup_teacher_temp_iters = warmup_teacher_temp_iters
        self.center_momentum = center_momentum
        self.dino_weight = dino_weight
        self.contrast_temp = contrast_temp
        self.contrast_weight = contrast_weight
        self.register_buffer('center', torch.zeros(1, self.head.prototypes.out_features))
        self.teacher = CosineEMA(nn.ModuleList([self.backbone, self.head]),
                                 momentum=base_momentum)

    def current_teacher_temp(self) -> float:
        it = MessageHub.get_current_instance().get_info('iter', 0)
        if it >= self.warmup_teacher_temp_iters:
            return self.teacher_temp
        return self.warmup_teacher_temp + (self.teacher_temp - self.warmup_teacher_temp) * (
            it / self.warmup_teacher_temp_iters)

    @staticmethod
    def _run(modules, crops: List[Tensor]):
        """(scores, embeddings) per crop; crops of one size share a forward pass."""
        backbone, head = modules
        outputs = [None] * len(crops)
        sizes = sorted({c.shape[1] for c in crops})
        for size in sizes:
            ids = [i for i, c in enumerate(crops) if c.shape[1] == size]
            scores, embeddings = head(backbone(torch.cat([crops[i] for i in ids]))[0])
            for i, s, e in zip(ids, scores.chunk(len(ids)), embeddings.chunk(len(ids))):
                outputs[i] = (s, e)
        return outputs

    def extract_feat(self, inputs: Tensor):
        return self.backbone(inputs)

    def loss(self, inputs: List[Tensor], data_samples=None, **kwargs) -> Dict[str, Tensor]:
        g = self.num_global_crops
        if not isinstance(inputs, (list, tuple)) or len(inputs) < g:
            raise ValueError(f'PointDistillation needs a list of >= {g} crops per object')
        student = self._run([self.backbone, self.head], list(inputs))
        with torch.no_grad():
            self.teacher.update_parameters(nn.ModuleList([self.backbone, self.head]))
            teacher = self._run(self.teacher.module, list(inputs[:g]))
        t_scores = [t[0] for t in teacher]
        losses = dict(loss_dino=self.dino_weight * dino_loss(
            [s[0] for s in student], t_scores, self.center, self.student_temp,
            self.current_teacher_temp()))
        self.center.copy_(updated_center(self.center, t_scores, self.center_momentum))
        if self.contrast_weight > 0:
            losses['loss_contrast'] = self.contrast_weight * self._contrast(
                [s[1] for s in student[:g]], [t[1] for t in teacher])
        return losses

    def _contrast(self, student: List[Tensor], teacher: List[Tensor]) -> Tensor:
        """Mean InfoNCE over ordered pairs of different global crops; keys from all ranks."""
        batch = len(student[0])
        offset = get_rank() * batch
        keys = [torch.cat(all_gather(t)) if get_world_size() > 1 else t for t in teacher]
        terms = [info_nce(student[a], keys[b], self.contrast_temp, offset)
                 for a in range(len(student)) for b in range(len(teacher)) if a != b]
        return torch.stack(terms).mean()
