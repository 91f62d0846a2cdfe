"""EV-WSSS: forward and reversed students trained from point labels (an mmseg segmentor)."""
from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmseg.models.segmentors.base import BaseSegmentor
from torch import Tensor, nn

from ..common.registry import register_in
from .losses import (IGNORE, feature_mimicry, mutual_loss, present_classes,
                     prototype_contrast, pseudo_labels)
from .prototypes import PrototypeMemory
from .students import EventStudent


@register_in('mmseg')
class EVWSSS(BaseSegmentor):
    """Student A sees the events before the label time, student B the reversed stream of
    the events after it. Loss (per spec, DSEC weights):

        L = CE_pt(A) + CE_pt(B) + dual_weight * [CE(Z_A, y_B) + CE(Z_B, y_A)]
            + proto_weight * (L_proto_A + L_proto_B) + mimicry_weight * L_mimicry

    ``dual=False`` trains student A with the point loss only (the baseline). The later
    terms start at ``*_start_epoch``. Only student A predicts.

    Args:
        pseudo_threshold: tau of the pseudo labels (DSEC 0.5, DDD17 0.7).
        proto_scale, proto_temp, queue_length: prototype contrast on the 1/8 features.
        proto_min_entries: a class prototype exists once its queue holds more entries.
        proto_gate: 'any' (the intended reading: the loss runs once some class queue is
            ready) or 'last_class' (the release's loop quirk: the last class's queue).
        mimicry_scales: scales of the cross-path feature mimicry.
        release_extra_proto_weight: the DDD17 release adds
            ``w * (L_proto_A + CE(sim(P_A, F_A), y_B))`` once more (w = 0.1 there); 0 (the
            intended loss) by default.
    """

    def __init__(self, num_classes: int, in_channels: int = 5, base_channels: int = 32,
                 dual: bool = True, pseudo_threshold: float = 0.5, dual_weight: float = 0.5,
                 dual_start_epoch: int = 0, proto_weight: float = 1.0, proto_scale: int = 8,
                 proto_temp: float = 0.1, queue_length: int = 200,
                 proto_min_entries: int = 10,
                 proto_start_epoch: int = 2, proto_gate: str = 'any',
                 mimicry_weight: float = 1.0, mimicry_scales=(2, 4, 8),
                 mimicry_start_epoch: int = 2, release_extra_proto_weight: float = 0.0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor
                         or dict(type='BaseDataPreprocessor'), init_cfg=init_cfg)
        if proto_gate not in ('any', 'last_class'):
            raise ValueError(f"proto_gate must be 'any' or 'last_class', got {proto_gate!r}")
        self.num_classes = num_classes
        self.out_channels = num_classes
        self.align_corners = False
        self.dual = dual
        scales = sorted(set(mimicry_scales) | {proto_scale})
        self.student_a = EventStudent(num_classes, in_channels, base_channels, scales)
        self.student_b = EventStudent(num_classes, in_channels, base_channels, scales) \
            if dual else None
        self.pseudo_threshold = pseudo_threshold
        self.dual_weight, self.dual_start_epoch = dual_weight, dual_start_epoch
        self.proto_weight, self.proto_start_epoch = proto_weight, proto_start_epoch
        self.proto_scale, self.proto_temp, self.proto_gate = proto_scale, proto_temp, proto_gate
        self.mimicry_weight, self.mimicry_start_epoch = mimicry_weight, mimicry_start_epoch
        self.mimicry_scales = tuple(mimicry_scales)
        self.release_extra_proto_weight = release_extra_proto_weight
        proto_dim = self.student_a.encoder.widths[proto_scale]
        self.memories = nn.ModuleList(PrototypeMemory(num_classes, proto_dim, queue_length,
                                                      proto_min_entries)
                                      for _ in range(2))

    # --- inference: student A only -------------------------------------------------------
    def extract_feat(self, inputs: Tensor) -> Dict[int, Tensor]:
        return self.student_a.encoder(inputs[:, 0])

    def encode_decode(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        return self.student_a(inputs[:, 0])[0]

    def _forward(self, inputs: Tensor, data_samples=None) -> Tensor:
        return self.student_a(inputs[:, 0])[0]

    def predict(self, inputs: Tensor, data_samples=None):
        return self.postprocess_result(self.student_a(inputs[:, 0])[0], data_samples)

    # --- training ------------------------------------------------------------------------
    def loss(self, inputs: Tensor, data_samples) -> Dict[str, Tensor]:
        points = torch.stack([ds.gt_points.data[0] for ds in data_samples]).long()
        logits_a, lat_a = self.student_a(inputs[:, 0])
        losses = dict(loss_point_a=F.cross_entropy(logits_a, points, ignore_index=IGNORE))
        if not self.dual:
            return losses
        if inputs.shape[1] < 2:
            raise ValueError('EV-WSSS with dual=True needs the reversed stream '
                             '(LoadEventSequence reversed_multiplier)')
        logits_b, lat_b = self.student_b(inputs[:, 1])
        losses['loss_point_b'] = F.cross_entropy(logits_b, points, ignore_index=IGNORE)
        present = present_classes(points, self.num_classes)
        q_a, y_a = pseudo_labels(logits_a, present, self.pseudo_threshold)
        q_b, y_b = pseudo_labels(logits_b, present, self.pseudo_threshold)
        epoch = MessageHub.get_current_instance().get_info('epoch', 0)
        if epoch >= self.dual_start_epoch and self.dual_weight > 0:
            mutual = mutual_loss(logits_a, logits_b, y_a, y_b)
            if mutual is not None:
                losses['loss_mutual'] = self.dual_weight * mutual
        if epoch >= self.proto_start_epoch and self.proto_weight > 0:
            proto = self._prototype_loss(lat_a, lat_b, q_a, q_b, y_a, y_b, present)
            if proto is not None:
                (proto_a, proto_b), own_a = proto
                losses['loss_proto'] = self.proto_weight * (proto_a + proto_b) \
                    + self.release_extra_proto_weight * (proto_a + own_a)
        if epoch >= self.mimicry_start_epoch and self.mimicry_weight > 0:
            s = self.mimicry_scales
            losses['loss_mimicry'] = self.mimicry_weight * feature_mimicry(
                [lat_a[k] for k in s], [lat_b[k] for k in s],
                [self.student_a.proj[str(k)] for k in s],
                [self.student_b.proj[str(k)] for k in s])
        return losses

    def _prototype_loss(self, lat_a, lat_b, q_a, q_b, y_a, y_b, present):
        """((L_proto_A, L_proto_B), CE of A's own prototypes), or None before the queues
        are ready."""
        size = q_a.shape[-2:]
        feats = [F.normalize(F.interpolate(lat[self.proto_scale], size=size, mode='bilinear',
                                           align_corners=False), dim=1)
                 for lat in (lat_a, lat_b)]
        for memory, f, q in zip(self.memories, feats, (q_a, q_b)):
            memory.push(f.detach(), q, present)
        ready = [m.ready() for m in self.memories]
        gate = (lambda r: any(r)) if self.proto_gate == 'any' else (lambda r: r[-1])
        if not all(gate(r) for r in ready):
            return None
        protos = [m.prototypes() for m in self.memories]
        heads = [self.student_a.proj[str(self.proto_scale)],
                 self.student_b.proj[str(self.proto_scale)]]
        per_student, own = [], []
        # student A: its own prototypes and B's mapped through B's head, against y_B;
        # student B likewise with A's, against y_A.
        for me, other, target in ((0, 1, y_b), (1, 0, y_a)):
            exchanged = F.normalize(heads[other](protos[other][:, :, None, None])[:, :, 0, 0],
                                    dim=1)
            own.append(prototype_contrast(protos[me], feats[me], target, self.proto_temp))
            per_student.append(0.5 * (own[-1] / 2 + prototype_contrast(
                exchanged, feats[me], target, self.proto_temp) / 2))
        return per_student, own[0]
