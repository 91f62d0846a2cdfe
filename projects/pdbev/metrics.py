"""BEV detection (nuScenes-style centre-distance AP) per visibility bin, and BEV
segmentation IoU.

Visibility of a ground-truth box (this suite's definition; the paper's code is not public):
take the voxel centres of the evaluation grid that fall inside the box (the box centre
when none does). For each such point and each camera that sees it, the ray from the camera
centre through the point enters the box at depth d_in (slab test on the oriented box). The
predicted Laplacian depth (mu, b) at that pixel says how likely the first surface lies in
front of the box: occluded = F(d_in - margin). The point is visible if
1 - F(d_in - margin) > 0.5 for some camera; the box's visibility is the fraction of its
points that are visible. Bins: [0, 0.4), [0.4, 0.6), [0.6, 0.8), [0.8, 1] (nuScenes'
visibility levels).

AP: predictions of a class sorted by score over the whole split are matched greedily to the
nearest unmatched ground truth of that class in the same sample within a BEV centre
distance threshold (0.5, 1, 2, 4 m); precision is interpolated at 101 recall points, the
part below recall 0.1 and precision 0.1 is dropped (nuScenes' calc_ap). Per visibility
bin, ground truth outside the bin is ignored: predictions matched to it count neither way.
"""
from typing import Dict, List, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric

from ..common.registry import register_in
from ..common.cameras import camera_centers, project
from .lifting import VoxelGrid, laplace_cdf

BINS = ((0.0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01))


def ray_box_entry(origin: np.ndarray, targets: np.ndarray, box: np.ndarray) -> np.ndarray:
    """Ray parameter (1 = the target point) where rays from ``origin`` (3,) to ``targets``
    (P, 3) enter the oriented ``box`` (x, y, z_centre, l, w, h, yaw)."""
    x, y, z, l, w, h, yaw = box[:7]
    c, s = np.cos(-yaw), np.sin(-yaw)
    rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    o = rot @ (origin - [x, y, z])
    d = (targets - origin) @ rot.T
    half = np.array([l, w, h]) / 2
    with np.errstate(divide='ignore', invalid='ignore'):
        t0, t1 = (-half - o) / d, (half - o) / d
    return np.clip(np.nanmax(np.minimum(t0, t1), 1), 0, 1)


def box_visibility(box: np.ndarray, mu: np.ndarray, b: np.ndarray, lidar2img: np.ndarray,
                   img_shape, grid: VoxelGrid, margin: float = 0.5,
                   canvas_shape=None) -> float:
    """Visibility in [0, 1] of one box (module docstring); mu / b (N, h, w) cover the image
    of size ``img_shape`` or the padded ``canvas_shape``."""
    centers = grid.centers().view(-1, 3).numpy()
    x, y, z, l, w, h, yaw = box[:7]
    c, s = np.cos(-yaw), np.sin(-yaw)
    rel = centers - [x, y, z]
    local = np.stack([rel[:, 0] * c - rel[:, 1] * s, rel[:, 0] * s + rel[:, 1] * c, rel[:, 2]], 1)
    pts = centers[(np.abs(local) <= np.array([l, w, h]) / 2).all(1)]
    if not len(pts):
        pts = np.array([[x, y, z]])
    l2i = torch.as_tensor(lidar2img, dtype=torch.float32)
    uv, depth = project(torch.as_tensor(pts, dtype=torch.float32), l2i)
    uv, depth = uv.numpy(), depth.numpy()
    cams = camera_centers(l2i).numpy()
    hh, ww = img_shape
    ch, cw = canvas_shape or img_shape
    n, fh, fw = mu.shape
    visible = np.zeros(len(pts), bool)
    for k in range(n):
        inside = (depth[k] > 0) & (uv[k, :, 0] >= 0) & (uv[k, :, 0] <= ww - 1) & \
            (uv[k, :, 1] >= 0) & (uv[k, :, 1] <= hh - 1)
        if not inside.any():
            continue
        d_in = ray_box_entry(cams[k], pts[inside], box) * depth[k, inside]
        col = np.clip(np.round(uv[k, inside, 0] * (fw - 1) / (cw - 1)).astype(int), 0, fw - 1)
        row = np.clip(np.round(uv[k, inside, 1] * (fh - 1) / (ch - 1)).astype(int), 0, fh - 1)
        front = laplace_cdf(torch.as_tensor(d_in - margin), torch.as_tensor(mu[k, row, col]),
                            torch.as_tensor(b[k, row, col])).numpy()
        visible[np.flatnonzero(inside)[front < 0.5]] = True
    return float(visible.mean())


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
    segmentation IoU (threshold 0.5) of each map class."""

    def __init__(self, classes: Sequence[str], grid: dict, thresholds=(0.5, 1.0, 2.0, 4.0),
                 seg_classes: Sequence[str] = ('drivable_area', ), visibility_margin=0.5,
                 collect_device: str = 'cpu', prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.classes, self.thresholds = tuple(classes), tuple(thresholds)
        self.grid, self.seg_classes = VoxelGrid(**grid), tuple(seg_classes)
        self.margin = visibility_margin

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred = sample['pred_instances_3d']
            gt = sample['gt_instances_3d']
            gt_boxes = gt['bboxes_3d']
            boxes = np.concatenate([gt_boxes.gravity_center.numpy(),
                                    gt_boxes.tensor[:, 3:7].numpy()], 1) if len(gt_boxes) \
                else np.zeros((0, 7))
            mu, b = sample['pred_depth_mu'].cpu().numpy(), sample['pred_depth_b'].cpu().numpy()
            vis = np.array([box_visibility(box, mu, b, np.asarray(sample['lidar2img']),
                                           sample['img_shape'], self.grid, self.margin,
                                           sample.get('canvas_shape'))
                            for box in boxes])
            entry = dict(
                pred=dict(centers=pred['bboxes_3d'].gravity_center[:, :2].cpu().numpy(),
                          scores=pred['scores_3d'].cpu().numpy(),
                          labels=pred['labels_3d'].cpu().numpy()),
                gt=dict(centers=boxes[:, :2], labels=gt['labels_3d'].cpu().numpy(),
                        visibility=vis))
            if 'pred_bev_seg' in sample and 'gt_bev_seg' in sample:
                p = sample['pred_bev_seg'].cpu().numpy() > 0.5
                t = sample['gt_bev_seg']['data'].cpu().numpy() > 0  # PixelData as a dict
                entry['seg'] = np.stack([(p & t).sum((1, 2)), (p | t).sum((1, 2))])
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
        for lo, hi in BINS:
            keep = [(g['visibility'] >= lo) & (g['visibility'] < hi) for g in gts]
            out[f'mAP_vis_{int(lo * 100)}-{min(int(hi * 100), 100)}'] = mean_ap(keep)
            out[f'num_gt_vis_{int(lo * 100)}-{min(int(hi * 100), 100)}'] = \
                int(sum(k.sum() for k in keep))
        segs = [r['seg'] for r in results if 'seg' in r]
        if segs:
            inter, union = np.sum(segs, 0)
            for name, i, u in zip(self.seg_classes, inter, union):
                out[f'IoU_{name}'] = 100 * float(i / max(u, 1))
        return out
