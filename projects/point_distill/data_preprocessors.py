"""Data preprocessor of the point classifiers (fine-tuning and evaluation)."""

from mmengine.model import BaseDataPreprocessor

from ..common.registry import register_in


@register_in('mmpretrain')
class PointClsDataPreprocessor(BaseDataPreprocessor):
    """Move the batch to the device; the slot mmpretrain's ``ImageClassifier`` expects
    (it passes ``batch_augments``, which point clouds do not use)."""

    def __init__(self, batch_augments=None, **kwargs):
        if batch_augments is not None:
            raise ValueError('PointClsDataPreprocessor does not support batch_augments')
        super().__init__(**kwargs)
