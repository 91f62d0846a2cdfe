"""Distillation with contrast: DINO-style teacher-student self-distillation plus an InfoNCE
term for point-cloud transformers (spec: shared/methods/point_distillation.md).

Object pipeline (FPS sampling, global/local crops), the point ViT and DINO head, the losses
and the mmpretrain self-supervised model; the linear-SVM evaluation is in
``tools/analysis/point_svm.py``.
"""
from .backbone import MiniPointNet, PointViT
from .dataset import PointObjectFolder
from .head import DINOPrototypeHead
from .losses import dino_loss, info_nce, updated_center
from .model import PointDistillation
from .transforms import (AugmentObject, PackPointCrops, PackPointObject,
                         PointClsDataPreprocessor, PointObjectCrops, SampleObjectPoints,
                         augment_object)

__all__ = ['PointViT', 'MiniPointNet', 'PointObjectFolder', 'DINOPrototypeHead', 'dino_loss',
           'info_nce', 'updated_center', 'PointDistillation', 'AugmentObject', 'PackPointCrops',
           'PackPointObject', 'PointClsDataPreprocessor', 'PointObjectCrops',
           'SampleObjectPoints', 'augment_object']
