"""SemiCD-VL: semi-supervised change detection with vision-language guidance (Li et al.,
TGRS 2024; docs/methods/semicd_vl.md): FixMatch on a Siamese encoder, a light change head
with two projection heads, auxiliary building decoders, batch-balanced contrast of feature
distances, and mixed change-event pseudo labels."""
from .change_events import (building_label, change_pseudo_labels, instance_change,
                            mixed_change, pixel_change)
from .cutmix import cutmix_box, paste
from .data_preprocessors import ChangeDataPreprocessor
from .datasets import BitemporalChangeDataset, SemiSupervisedPairs
from .heads import DualProjectionHead
from .losses import bcl_loss, confident_ce, feature_distance, mean_all_ce
from .metrics import ChangeMetric
from .model import SemiCDVL
from .transforms import LoadChangePair, PackChangeInputs, RandomRescaleCropFlip

__all__ = ['building_label', 'change_pseudo_labels', 'instance_change', 'mixed_change',
           'pixel_change', 'BitemporalChangeDataset', 'ChangeDataPreprocessor',
           'LoadChangePair', 'PackChangeInputs', 'RandomRescaleCropFlip', 'SemiSupervisedPairs',
           'DualProjectionHead', 'bcl_loss', 'confident_ce', 'cutmix_box', 'feature_distance',
           'mean_all_ce', 'paste', 'ChangeMetric', 'SemiCDVL']
