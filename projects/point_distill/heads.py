"""The distillation head: DINO self-distillation with a centred teacher plus InfoNCE between
global-crop embeddings. It owns the centre, the temperatures and the term weights."""
from typing import Dict, List, Sequence, Tuple

import torch
from mmengine.dist import all_gather, get_rank, get_world_size
from mmengine.logging import MessageHub
from mmengine.model import BaseModule
from torch import Tensor

from ..common.registry import register_in
from .losses import dino_loss, info_nce, updated_center


@register_in('mmpretrain')
class DistillContrastHead(BaseModule):
    """Loss = dino_weight * DINO(teacher globals -> every other student crop)
    + contrast_weight * InfoNCE(student global a, teacher global b != a), negatives the other
    objects of the (all-process) batch, on the neck's normalised bottleneck.

    Args:
        num_prototypes: K, the neck's prototype count (set by the model from the neck).
        student_temp, teacher_temp, warmup_teacher_temp, warmup_teacher_temp_iters:
            temperatures; the teacher's goes linearly from the warm-up value to its final
            value over the first iterations.
        center_momentum: momentum of the teacher-output centre (a (1, K) buffer).
        dino_weight: weight of the DINO term.
        contrast_temp, contrast_weight: the InfoNCE term (0 weight: DINO only).
    """

    def __init__(self, num_prototypes: int, student_temp: float = 0.1,
                 teacher_temp: float = 0.04, warmup_teacher_temp: float = 0.04,
                 warmup_teacher_temp_iters: int = 0, center_momentum: float = 0.9,
                 dino_weight: float = 1.0, contrast_temp: float = 0.2,
                 contrast_weight: float = 1.0, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.student_temp = student_temp
        self.teacher_temp = teacher_temp
        self.warmup_teacher_temp = warmup_teacher_temp
        self.warmup_teacher_temp_iters = warmup_teacher_temp_iters
        self.center_momentum = center_momentum
        self.dino_weight = dino_weight
        self.contrast_temp = contrast_temp
        self.contrast_weight = contrast_weight
        self.register_buffer('center', torch.zeros(1, num_prototypes))

    def current_teacher_temp(self) -> float:
        it = MessageHub.get_current_instance().get_info('iter', 0)
        if it >= self.warmup_teacher_temp_iters:
            return self.teacher_temp
        return self.warmup_teacher_temp + (self.teacher_temp - self.warmup_teacher_temp) * (
            it / self.warmup_teacher_temp_iters)

    def loss(self, student: Sequence[Tuple[Tensor, Tensor]],
             teacher: Sequence[Tuple[Tensor, Tensor]]) -> Dict[str, Tensor]:
        """student: (scores (B, K), embedding (B, D)) per crop, global crops first;
        teacher: the same for the global crops. Updates the centre after the DINO term."""
        t_scores = [t[0] for t in teacher]
        losses = dict(loss_dino=self.dino_weight * dino_loss(
            [s[0] for s in student], t_scores, self.center, self.student_temp,
            self.current_teacher_temp()))
        self.center.copy_(updated_center(self.center, t_scores, self.center_momentum))
        if self.contrast_weight > 0:
            losses['loss_contrast'] = self.contrast_weight * self.contrast(
                [s[1] for s in student[:len(teacher)]], [t[1] for t in teacher])
        return losses

    def contrast(self, student: List[Tensor], teacher: List[Tensor]) -> Tensor:
        """Mean InfoNCE over ordered pairs of different global crops; keys from all ranks."""
        batch = len(student[0])
        offset = get_rank() * batch
        keys = [torch.cat(all_gather(t)) if get_world_size() > 1 else t for t in teacher]
        terms = [info_nce(student[a], keys[b], self.contrast_temp, offset)
                 for a in range(len(student)) for b in range(len(teacher)) if a != b]
        return torch.stack(terms).mean()
