"""Object-level point pipeline: sample, normalise, augment, global/local crops, pack,
and the classifier's data preprocessor."""
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmpretrain.structures import DataSample

from ..common.errors import SampleFileError
from ..common.models.point_ops import farthest_point_sample, normalize_unit_sphere
from ..common.registry import register_in


def _name(results: dict) -> str:
    return results.get('pts_path') or results.get('lidar_path') or '<sample>'


def _unit_sphere(xyz: np.ndarray) -> np.ndarray:
    return normalize_unit_sphere(torch.from_numpy(np.ascontiguousarray(xyz))).numpy()


@register_in('mmengine', kind='TRANSFORMS')
class SampleObjectPoints(BaseTransform):
    """Keep xyz, resample to ``num_points`` and normalise into the unit sphere.

    ``method='fps'`` (farthest point sampling, the paper) or ``'random'``. An object with
    fewer than ``num_points`` points is padded by repeating random points (documented
    resampling); fewer than ``min_points`` points, or all points at one position, stop
    with an error naming the file.
    """

    def __init__(self, num_points: int = 1024, method: str = 'fps', min_points: int = 32):
        if method not in ('fps', 'random'):
            raise ValueError(f"method must be 'fps' or 'random', got {method!r}")
        self.num_points = num_points
        self.method = method
        self.min_points = min_points

    def transform(self, results: dict) -> dict:
        xyz = np.asarray(results['points'], dtype=np.float32)[:, :3]
        name = _name(results)
        if len(xyz) < self.min_points:
            raise SampleFileError(f'{name}: {len(xyz)} points, fewer than the {self.min_points} '
                                  f'an object needs (min_points)')
        if np.ptp(xyz, axis=0).max() == 0:
            raise SampleFileError(f'{name}: all {len(xyz)} points are at one position')
        if len(xyz) < self.num_points:
            extra = np.random.choice(len(xyz), self.num_points - len(xyz))
            xyz = np.concatenate([xyz, xyz[extra]])
        elif len(xyz) > self.num_points:
            if self.method == 'fps':
                start = np.random.randint(len(xyz))  # a random first point, then greedy
                order = np.r_[start, np.delete(np.arange(len(xyz)), start)]
                keep = farthest_point_sample(torch.from_numpy(xyz[order])[None],
                                             self.num_points)[0].numpy()
                xyz = xyz[order[keep]]
            else:
                xyz = xyz[np.random.choice(len(xyz), self.num_points, replace=False)]
        results['points'] = _unit_sphere(xyz)
        return results


def augment_object(xyz: np.ndarray, scale=(0.8, 1.2), translate=0.1, rot_range=np.pi,
                   up_axis=1, jitter_std=0.01, jitter_clip=0.05) -> np.ndarray:
    """Per-axis scale, rotation about ``up_axis`` within +-rot_range, translation, jitter."""
    xyz = xyz * np.random.uniform(*scale, size=3).astype(np.float32)
    angle = np.random.uniform(-rot_range, rot_range)
    c, s = np.cos(angle), np.sin(angle)
    a, b = [i for i in range(3) if i != up_axis]
    rotated = xyz.copy()
    rotated[:, a], rotated[:, b] = c * xyz[:, a] - s * xyz[:, b], s * xyz[:, a] + c * xyz[:, b]
    rotated += np.random.uniform(-translate, translate, size=3).astype(np.float32)
    if jitter_std > 0:
        rotated += np.clip(np.random.normal(0, jitter_std, rotated.shape), -jitter_clip,
                           jitter_clip).astype(np.float32)
    return rotated.astype(np.float32)


@register_in('mmengine', kind='TRANSFORMS')
class AugmentObject(BaseTransform):
    """``augment_object`` on ``results['points']`` (classification fine-tuning)."""

    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def transform(self, results: dict) -> dict:
        results['points'] = augment_object(results['points'], **self.kwargs)
        return results


@register_in('mmengine', kind='TRANSFORMS')
class PointObjectCrops(BaseTransform):
    """``results['crops']``: ``num_global`` then ``num_local`` crops of the object.

    A crop keeps the fraction f ~ U(scale) of the points nearest to a random seed point,
    is resampled to a fixed size (``global_points`` / ``local_points``; random choice,
    repeating points when the crop is smaller), rescaled into the unit sphere and
    augmented with ``augment_object(**augment)``.
    """

    def __init__(self, num_global: int = 2, num_local: int = 8,
                 global_scale: Sequence[float] = (0.5, 0.9),
                 local_scale: Sequence[float] = (0.2, 0.5),
                 global_points: int = 1024, local_points: int = 256, augment: dict = None):
        self.specs = [(global_scale, global_points)] * num_global + \
            [(local_scale, local_points)] * num_local
        self.augment = augment or {}

    @staticmethod
    def crop(xyz: np.ndarray, fraction: float, size: int) -> np.ndarray:
        keep = max(1, int(round(fraction * len(xyz))))
        seed = xyz[np.random.randint(len(xyz))]
        nearest = np.argpartition(((xyz - seed) ** 2).sum(1), keep - 1)[:keep]
        chosen = np.random.choice(nearest, size, replace=keep < size)
        return xyz[chosen]

    def transform(self, results: dict) -> dict:
        xyz = results['points'][:, :3]
        results['crops'] = [
            augment_object(_unit_sphere(self.crop(xyz, np.random.uniform(*scale), size)),
                           **self.augment)
            for scale, size in self.specs]
        return results


def _data_sample(results: dict) -> DataSample:
    sample = DataSample(metainfo=dict(pts_path=_name(results)))
    if 'gt_label' in results:
        sample.set_gt_label(results['gt_label'])
    return sample


@register_in('mmengine', kind='TRANSFORMS')
class PackPointCrops(BaseTransform):
    """``inputs``: list of crop tensors (n_v, 3); ``data_samples``: a ``DataSample``."""

    def transform(self, results: dict) -> dict:
        return dict(inputs=[torch.from_numpy(c) for c in results['crops']],
                    data_samples=_data_sample(results))


@register_in('mmengine', kind='TRANSFORMS')
class PackPointObject(BaseTransform):
    """``inputs``: (N, 3) tensor; ``data_samples``: a ``DataSample`` with the label."""

    def transform(self, results: dict) -> dict:
        return dict(inputs=torch.from_numpy(np.ascontiguousarray(results['points'][:, :3])),
                    data_samples=_data_sample(results))
