"""Change-class metrics from mmseg's IoU bookkeeping."""
from collections import OrderedDict

import numpy as np
from mmseg.evaluation import IoUMetric

from ..common.registry import register_in


@register_in('mmseg', kind='METRICS')
class ChangeMetric(IoUMetric):
    """IoU, F1, precision and recall of the changed class and overall accuracy (in %),
    accumulated over the whole split as mmseg's ``IoUMetric`` does."""

    def __init__(self, change_index: int = 1, **kwargs):
        super().__init__(iou_metrics=['mIoU'], **kwargs)
        self.change_index = change_index

    def compute_metrics(self, results: list) -> dict:
        inter, union, pred, label = (sum(r[i] for r in results).numpy() for i in range(4))
        c = self.change_index
        iou = inter[c] / max(union[c], 1)
        precision, recall = inter[c] / max(pred[c], 1), inter[c] / max(label[c], 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-12)
        return OrderedDict(IoU_changed=100 * iou, F1_changed=100 * f1,
                           Precision_changed=100 * precision, Recall_changed=100 * recall,
                           OA=100 * inter.sum() / max(label.sum(), 1),
                           IoU_unchanged=100 * inter[0] / max(union[0], 1),
                           mIoU=100 * float(np.mean(inter / np.maximum(union, 1))))
