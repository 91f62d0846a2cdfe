"""Two augmented views of one scene that remember which points they share."""
import numpy as np
from mmcv.transforms import BaseTransform

from ..registry import register_in


@register_in('mmengine', kind='TRANSFORMS')
class TwoPointViews(BaseTransform):
    """Make ``results['views']`` (two dicts with ``points`` and ``index`` into the input
    cloud) and ``results['matches']`` ((M, 2) rows of view 1 / view 2 holding the same
    input point) from ``results['points']`` ((N, C) array, xyz first).

    Each view: a random x/y box crop keeping ``crop_ratio`` of the scene's extent around a
    random point, then mmdet3d's ``GlobalRotScaleTrans`` (rotation about z, uniform scale),
    a flip y -> -y with ``flip_prob``, and mmdet3d's ``RandomJitterPoints``. The two crops
    are redrawn until the views share at least ``min_overlap`` of the smaller view's points
    (``max_tries`` attempts, then both views keep the whole cloud). Defaults follow the FAC
    spec (unverified values: rotation 2*pi, scale 0.9-1.1, overlap 30%).
    """

    def __init__(self, crop_ratio=0.8, min_overlap=0.3, max_tries=10,
                 rot_range=(-np.pi, np.pi), scale_ratio_range=(0.9, 1.1), flip_prob=0.5,
                 jitter_std=0.01, jitter_clip=0.05):
        from mmdet3d.datasets.transforms import GlobalRotScaleTrans, RandomJitterPoints
        self.crop_ratio = crop_ratio
        self.min_overlap = min_overlap
        self.max_tries = max_tries
        self.flip_prob = flip_prob
        self.rot_scale = GlobalRotScaleTrans(rot_range=list(rot_range),
                                             scale_ratio_range=list(scale_ratio_range),
                                             translation_std=[0, 0, 0])
        self.jitter = (RandomJitterPoints(jitter_std=[jitter_std] * 3,
                                          clip_range=[-jitter_clip, jitter_clip])
                       if jitter_std > 0 else None)

    def _crop(self, xyz):
        centre = xyz[np.random.randint(len(xyz)), :2]
        half = (xyz[:, :2].max(0) - xyz[:, :2].min(0)) * self.crop_ratio / 2
        return np.nonzero((np.abs(xyz[:, :2] - centre) <= half).all(1))[0]

    def _crops(self, xyz):
        for _ in range(self.max_tries):
            first, second = self._crop(xyz), self._crop(xyz)
            shared = len(np.intersect1d(first, second, assume_unique=True))
            if min(len(first), len(second)) and \
                    shared >= self.min_overlap * min(len(first), len(second)):
                return first, second
        whole = np.arange(len(xyz))
        return whole, whole

    def _augment(self, points):
        from mmdet3d.structures import LiDARPoints
        out = {'points': LiDARPoints(points.copy(), points_dim=points.shape[1])}
        out = self.rot_scale.transform(out)
        if np.random.rand() < self.flip_prob:
            out['points'].tensor[:, 1] *= -1
        if self.jitter is not None:
            out = self.jitter.transform(out)
        return out['points'].tensor.numpy()

    def transform(self, results: dict) -> dict:
        points = results['points']
        index_1, index_2 = self._crops(points[:, :3])
        results['views'] = [dict(points=self._augment(points[idx]), index=idx)
                            for idx in (index_1, index_2)]
        _, rows_1, rows_2 = np.intersect1d(index_1, index_2, assume_unique=True,
                                           return_indices=True)
        results['matches'] = np.stack([rows_1, rows_2], axis=1)
        return results
