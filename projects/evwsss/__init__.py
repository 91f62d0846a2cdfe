"""EV-WSSS: weakly supervised event-camera segmentation from point labels (Cho et al.,
ECCV 2024; spec: shared/methods/evwsss.md): forward and reversed recurrent students,
partial CE, mutual pseudo labels, prototype contrast with exchange, feature mimicry."""
from .data import (DDD17Seg, DSECSemantic, EventSegFolder, LoadEventSequence, PackEventSeg,
                   RandomFlipEvents)
from .losses import (PrototypeMemory, feature_mimicry, mutual_loss, present_classes,
                     prototype_contrast, pseudo_labels)
from .model import EVWSSS
from .networks import ConvLSTM, EventStudent, RecurrentEventEncoder, SegDecoder

__all__ = ['DDD17Seg', 'DSECSemantic', 'EventSegFolder', 'LoadEventSequence', 'PackEventSeg',
           'RandomFlipEvents', 'PrototypeMemory', 'feature_mimicry', 'mutual_loss',
           'present_classes',
           'prototype_contrast', 'pseudo_labels', 'EVWSSS', 'ConvLSTM', 'EventStudent',
           'RecurrentEventEncoder', 'SegDecoder']
