"""Distillation with contrast: DINO-style teacher-student self-distillation plus an InfoNCE
term for point-cloud transformers (docs/methods/point_distill.md).

Object pipeline (FPS sampling, global/local crops), the point ViT, the DINO projection neck,
the distillation head and its losses, and the mmpretrain self-supervised model; the
linear-SVM evaluation is in ``tools/analysis/point_svm.py``.
"""
from .backbones import MiniPointNet, PointViT
from .data_preprocessors import PointClsDataPreprocessor
from .datasets import PointObjectFolder, ShapeNet55Points
from .heads import DistillContrastHead
from .losses import dino_loss, info_nce, updated_center
from .model import PointDistillation
from .necks import DINOProjectionNeck
from .transforms import (AugmentObject, PackPointCrops, PackPointObject, PointObjectCrops,
                         SampleObjectPoints, augment_object)

__all__ = ['PointViT', 'MiniPointNet', 'PointObjectFolder', 'ShapeNet55Points',
           'DINOProjectionNeck', 'DistillContrastHead', 'dino_loss', 'info_nce', 'updated_center',
           'PointDistillation', 'AugmentObject', 'PackPointCrops', 'PackPointObject',
           'PointClsDataPreprocessor', 'PointObjectCrops', 'SampleObjectPoints',
           'augment_object']
