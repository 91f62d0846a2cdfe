"""BEV detection (nuScenes-style centre-distance AP), overall and per visibility bin, and BEV
segmentation IoU, overall and in the visible and occluded regions.

Visibility comes from the ground truth only (``visibility.py``): each sample's LiDAR
visibility map (``LidarBEVVisibility`` in the pipeline, ``gt_bev_visibility``) marks the BEV
cells a LiDAR ray reaches; a box's visibility is the fraction of its footprint cells whose
line of sight from the sensor crosses only such cells before entering the box. Bins: [0,
0.4), [0.4, 0.6), [0.6, 0.8), [0.8, 1] (nuScenes' visibility levels). Segmentation IoU in
the visible (occluded) region counts only the cells the map marks visible (occluded),
as the release splits its segmentation labels. Without the map, only the overall numbers
are reported.

AP: predictions of a class sorted by score over the whole split are matched greedily to the
nearest unmatched ground truth of that class in the same sample within a BEV centre
distance threshold (0.5, 1, 2, 4 m); precision is interpolated at 101 recall points, the
part below recall 0.1 and precision 0.1 is dropped (nuScenes' calc_ap). Per visibility
bin, ground truth outside the bin is ignored: predictions matched to it count neither way.
"""
from typing import Dict, List, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from ..common.registry import register_in
from .lifting import VoxelGrid
from .visibility import box_rows, box_visibility

BINS = ((0.0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01))


def average_precision(scores, matched, num_gt: int, min_recall=0.1, min_precision=0.1):
    """nuScenes' AP from per-prediction scores and TP flags (ignored ones removed)."""
    if num_gt == 0:
        return np.nan
    order = np.argsort(-np.asarray(scores))
    tp = np.cumsum(np.asarray(matched, float)[order])
    fp = np.cumsum(1 - np.asarray(matched, float)[order])
    if not len(tp):
        return 0.0
    precision = tp / np.maximum(tp + fp, 1e-9)
    recall = tp / num_gt
    grid = np.linspace(0, 1, 101)
    interp = np.interp(grid, recall, precision, right=0)
    interp[grid > recall[-1]] = 0
    prec = interp[round(100 * min_recall) + 1:] - min_precision
    return float(np.clip(prec, 0, None).mean() / (1 - min_precision))


def match(preds: List[dict], gts: List[dict], label: int, threshold: float, gt_keep):
    """Greedy centre-distance matching of one class over the split: (scores, TP flags) of
    the predictions not matched to ignored ground truth, and the number of kept GT."""
    items = [(s, i, c) for i, p in enumerate(preds)
             for s, c, lb in zip(p['scores'], p['centers'], p['labels']) if lb == label]
    items.sort(key=lambda t: -t[0])
    taken = [np.zeros(len(g['labels']), bool) for g in gts]
    scores, flags = [], []
    for score, i, center in items:
        g = gts[i]
        cand = np.flatnonzero((g['labels'] == label) & ~taken[i])
        if len(cand):
            dist = np.linalg.norm(g['centers'][cand] - center, axis=1)
            j = cand[np.argmin(dist)]
            if dist.min() <= threshold:
                taken[i][j] = True
                if not gt_keep[i][j]:
                    continue  # matched to ignored ground truth
                scores.append(score)
                flags.append(True)
                continue
        scores.append(score)
        flags.append(False)
    num_gt = sum(int(((g['labels'] == label) & k).sum()) for g, k in zip(gts, gt_keep))
    return scores, flags, num_gt


@register_in('mmdet3d', kind='METRICS')
class BEVDetSegMetric(BaseMetric):
    """mAP (centre distance) over all boxes and per visibility bin, per-class AP, and BEV
    segmentation IoU (threshold 0.5) of each map class, overall / visible / occluded
    (module docstring)."""

    def __init__(self, classes: Sequence[str], grid: dict, thresholds=(0.5, 1.0, 2.0, 4.0),
                 seg_classes: Sequence[str] = ('drivable_area', ), origin=(0.0, 0.0),
                 collect_device: str = 'cpu', prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.classes, self.thresholds = tuple(classes), tuple(thresholds)
        self.grid, self.seg_classes = VoxelGrid(**grid), tuple(seg_classes)
        self.origin = tuple(origin)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred = sample['pred_instances_3d']
            gt = sample['gt_instances_3d']
            boxes = box_rows(gt['bboxes_3d'])
            seen = sample.get('gt_bev_visibility')
            seen = None if seen is None else seen['data'][0].cpu().numpy() > 0
            vis = np.array([box_visibility(box, seen, self.grid, self.origin)
                            for box in boxes]) if seen is not None else None
            entry = dict(
                pred=dict(centers=pred['bboxes_3d'].gravity_center[:, :2].cpu().numpy(),
                          scores=pred['scores_3d'].cpu().numpy(),
                          labels=pred['labels_3d'].cpu().numpy()),
                gt=dict(centers=boxes[:, :2], labels=gt['labels_3d'].cpu().numpy(),
                        visibility=vis))
            if 'pred_bev_seg' in sample and 'gt_bev_seg' in sample:
                p = sample['pred_bev_seg'].cpu().numpy() > 0.5
                t = sample['gt_bev_seg']['data'].cpu().numpy() > 0  # PixelData as a dict
                regions = [np.ones(p.shape[1:], bool)]
                if seen is not None:
                    if seen.shape != p.shape[1:]:
                        raise ValueError(f'BEVDetSegMetric: visibility map {seen.shape} and '
                                         f'segmentation {p.shape[1:]} differ in size')
                    regions += [seen, ~seen]
                entry['seg'] = np.stack([[(p & t & r).sum((1, 2)), ((p | t) & r).sum((1, 2))]
                                         for r in regions])  # (regions, 2, classes)
            self.results.append(entry)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        preds, gts = [r['pred'] for r in results], [r['gt'] for r in results]
        out = {}

        def mean_ap(keep) -> float:
            aps = []
            for label, name in enumerate(self.classes):
                class_aps = [average_precision(*match(preds, gts, label, t, keep))
                             for t in self.thresholds]
                if keep is everything:
                    out[f'AP_{name}'] = 100 * float(np.nanmean(class_aps)) \
                        if not np.isnan(class_aps).all() else float('nan')
                aps.extend(class_aps)
            aps = np.array(aps, float)
            return 100 * float(np.nanmean(aps)) if not np.isnan(aps).all() else float('nan')
        everything = [np.ones(len(g['labels']), bool) for g in gts]
        out['mAP'] = mean_ap(everything)
        if all(g['visibility'] is not None for g in gts):
            for lo, hi in BINS:
                keep = [(g['visibility'] >= lo) & (g['visibility'] < hi) for g in gts]
                tag = f'{int(lo * 100)}-{min(int(hi * 100), 100)}'
                out[f'mAP_vis_{tag}'] = mean_ap(keep)
                out[f'num_gt_vis_{tag}'] = int(sum(k.sum() for k in keep))
        segs = [r['seg'] for r in results if 'seg' in r]
        if segs:
            regions = min(len(s) for s in segs)
            totals = np.sum([s[:regions] for s in segs], 0)
            for (inter, union), suffix in zip(totals, ('', '_visible', '_occluded')):
                for name, i, u in zip(self.seg_classes, inter, union):
                    out[f'IoU_{name}{suffix}'] = 100 * float(i / max(u, 1))
        return out
