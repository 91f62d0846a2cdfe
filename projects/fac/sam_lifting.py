"""Segment-anything masks on posed RGB frames, lifted to the scene's points.

Each frame paints its SAM masks into a label image (largest first, so smaller masks win
where they overlap); every point visible in the frame (in front of the camera, inside the
image; no occlusion test) takes the label under its pixel. Frames are then associated
greedily: a frame's mask joins the global segment that already holds at least ``overlap``
of its points, else it starts a new one. A point's segment is the majority of its votes.
"""
from typing import List, Optional, Sequence

import numpy as np

from ..common.cameras import pixels_in_image
from ..common.errors import SampleFileError
from ..common.registry import register_in
from ..common.models.sam import build_sam
from .segments import SegmentProvider, relabel, small_segments_are_foreground


def paint(masks: Sequence[np.ndarray], height: int, width: int) -> np.ndarray:
    """(H, W) label image: mask index per pixel, -1 where none; smaller masks on top."""
    label = np.full((height, width), -1, dtype=np.int64)
    for k in sorted(range(len(masks)), key=lambda k: -int(masks[k].sum())):
        label[masks[k]] = k
    return label


def lift_masks(points: np.ndarray, frames: List[dict], overlap: float = 0.5) -> np.ndarray:
    """Segment id per point (-1 = never labelled) from per-frame masks.

    ``frames``: dicts with ``masks`` (list of (H, W) bool), ``intrinsic`` (3x3) and
    ``extrinsic`` (4x4 world -> camera).
    """
    point_idx, votes, segment_of = [], [], {}
    next_id = 0
    for f, frame in enumerate(frames):
        height, width = frame['masks'][0].shape if frame['masks'] else (0, 0)
        if not frame['masks']:
            continue
        row, col, visible = pixels_in_image(points, np.asarray(frame['intrinsic']),
                                    np.asarray(frame['extrinsic']), height, width)
        label = np.full(len(points), -1, dtype=np.int64)
        label[visible] = paint(frame['masks'], height, width)[row[visible], col[visible]]
        current = majority(np.concatenate(point_idx) if point_idx else np.zeros(0, int),
                           np.concatenate(votes) if votes else np.zeros(0, int), len(points))
        for k in np.unique(label[label >= 0]):
            members = np.nonzero(label == k)[0]
            held = current[members]
            held = held[held >= 0]
            best, count = (np.bincount(held).argmax(), np.bincount(held).max()) \
                if len(held) else (-1, 0)
            if count >= overlap * len(members):
                segment_of[(f, k)] = best
            else:
                segment_of[(f, k)] = next_id
                next_id += 1
            point_idx.append(members)
            votes.append(np.full(len(members), segment_of[(f, k)]))
    if not votes:
        return np.full(len(points), -1, dtype=np.int64)
    return majority(np.concatenate(point_idx), np.concatenate(votes), len(points))


def majority(point_idx: np.ndarray, votes: np.ndarray, num_points: int) -> np.ndarray:
    """Most frequent vote per point (ties: the smaller id); -1 without votes. Memory grows
    with the number of votes, not points x ids (a ScanNet scene has ~10^5 points and
    thousands of mask ids)."""
    out = np.full(num_points, -1, dtype=np.int64)
    if len(votes) == 0:
        return out
    pairs, counts = np.unique(np.stack([point_idx, votes], 1).astype(np.int64), axis=0,
                              return_counts=True)                 # sorted by point, then id
    order = np.lexsort((pairs[:, 1], -counts, pairs[:, 0]))       # per point: most, smallest
    first = order[np.r_[True, np.diff(pairs[order, 0]) > 0]]
    out[pairs[first, 0]] = pairs[first, 1]
    return out


@register_in('mmengine', kind='TASK_UTILS')
class SAMLiftedSegments(SegmentProvider):
    """Segments from segment-anything on the sample's posed frames.

    ``sample['frames']``: list of dicts with ``img`` (H, W, 3 uint8 RGB) or ``img_path``,
    ``intrinsic`` (3x3) and ``extrinsic`` (4x4 world -> camera).
    """

    def __init__(self, checkpoint: Optional[str] = None, model_type: str = 'vit_b',
                 tiny_random: bool = False, generator: Optional[dict] = None,
                 overlap: float = 0.5, foreground_quantile: float = 0.9, device: str = 'cpu'):
        from segment_anything import SamAutomaticMaskGenerator
        sam = build_sam(checkpoint, model_type, tiny_random).to(device).eval()
        self.generator = SamAutomaticMaskGenerator(sam, **(generator or {}))
        self.overlap = overlap
        self.foreground_quantile = foreground_quantile

    def __call__(self, points, sample=None):
        sample = sample or {}
        name = sample.get('lidar_path', '<sample>')
        if not sample.get('frames'):
            raise SampleFileError(f'{name}: SAM lifting needs posed RGB frames (sample["frames"])')
        frames = []
        for i, frame in enumerate(sample['frames']):
            for key in ('intrinsic', 'extrinsic'):
                if frame.get(key) is None:
                    raise SampleFileError(f'{name}: frame {i} has no {key} (missing calibration)')
            img = frame.get('img')
            if img is None:
                import mmcv
                img = mmcv.imread(frame['img_path'], channel_order='rgb')
            masks = [m['segmentation'] for m in self.generator.generate(img)]
            frames.append(dict(masks=masks, intrinsic=frame['intrinsic'],
                               extrinsic=frame['extrinsic']))
        ids = relabel(lift_masks(points, frames, self.overlap))
        return ids, small_segments_are_foreground(ids, self.foreground_quantile)
