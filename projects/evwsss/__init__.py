"""EV-WSSS: weakly supervised event-camera segmentation from point labels (Cho et al.,
ECCV 2024; docs/methods/evwsss.md): forward and reversed recurrent students, partial CE,
mutual pseudo labels, prototype contrast with exchange, feature mimicry."""
from .datasets import DDD17Seg, DSECNightPoint, DSECSemantic, EventSegFolder
from .losses import (feature_mimicry, mutual_loss, present_classes, prototype_contrast,
                     pseudo_labels)
from .model import EVWSSS
from .prototypes import PrototypeMemory
from .students import ConvLSTM, EventStudent, RecurrentEventEncoder, SegDecoder
from .transforms import LoadEventSequence, PackEventSeg, RandomFlipEvents

__all__ = ['DDD17Seg', 'DSECNightPoint', 'DSECSemantic', 'EventSegFolder', 'LoadEventSequence',
           'PackEventSeg',
           'RandomFlipEvents', 'PrototypeMemory', 'feature_mimicry', 'mutual_loss',
           'present_classes', 'prototype_contrast', 'pseudo_labels', 'EVWSSS', 'ConvLSTM',
           'EventStudent', 'RecurrentEventEncoder', 'SegDecoder']
