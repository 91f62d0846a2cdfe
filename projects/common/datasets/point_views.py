"""Two augmented views of one scene that remember which points they share."""
import numpy as np
from mmcv.transforms import BaseTransform

from ..registry import register_in
from ..errors import SampleFileError

# Each view's augmentation, built from mmdet3d's transform registry. Defaults follow the FAC
# spec (unverified values: rotation 2*pi about z, scale 0.9-1.1, flip, 1 cm jitter).
DEFAULT_VIEW_PIPELINE = (
    dict(type='GlobalRotScaleTrans', rot_range=[-np.pi, np.pi], scale_ratio_range=[0.9, 1.1],
         translation_std=[0, 0, 0]),
    dict(type='RandomFlip3D', flip_ratio_bev_horizontal=0.5),
    dict(type='RandomJitterPoints', jitter_std=[0.01, 0.01, 0.01], clip_range=[-0.05, 0.05]),
)
_MAX_EXACT_INDEX = 2 ** 24  # the row index rides along as a float32 column


@register_in('mmengine', kind='TRANSFORMS')
class TwoPointViews(BaseTransform):
    """Make ``results['views']`` (two dicts with ``points`` and ``index`` into the input
    cloud) and ``results['matches']`` ((M, 2) rows of view 1 / view 2 holding the same
    input point) from ``results['points']`` ((N, C) array, xyz first).

    Each view is a random x/y box crop keeping ``crop_ratio`` of the scene's extent around a
    random point, followed by ``view_pipeline``: any mmdet3d point transforms (rotation /
    scale / translation, flip, jitter, ``PointsRangeFilter``, ``PointSample``...). The input
    row index travels through them as an extra column, so transforms that drop, reorder or
    repeat points keep the correspondences. The two crops are redrawn until they share at
    least ``min_overlap`` of the smaller crop's points (``max_tries`` attempts, then both
    views start from the whole cloud and ``results['views_fallback']`` is True, which FAC
    logs).
    """

    def __init__(self, crop_ratio=0.8, min_overlap=0.3, max_tries=10,
                 view_pipeline=DEFAULT_VIEW_PIPELINE):
        from mmdet3d.registry import TRANSFORMS
        from mmengine.dataset import Compose
        self.crop_ratio = crop_ratio
        self.min_overlap = min_overlap
        self.max_tries = max_tries
        # mmdet3d's transforms whatever the config's default scope is
        self.view_pipeline = Compose([TRANSFORMS.build({'_scope_': 'mmdet3d', **t})
                                      for t in view_pipeline])

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
                return (first, second), False
        whole = np.arange(len(xyz))
        return (whole, whole), True

    def _view(self, points, index, name):
        """(points, index) of one view: ``view_pipeline`` applied to ``points[index]``."""
        from mmdet3d.structures import LiDARPoints
        with_index = np.c_[points[index], index].astype(np.float32)
        out = self.view_pipeline(
            {'points': LiDARPoints(with_index, points_dim=with_index.shape[1])})
        view = out['points'].tensor.numpy()
        if len(view) == 0:
            steps = ', '.join(type(t).__name__ for t in self.view_pipeline.transforms)
            raise SampleFileError(f'{name}: a view has no points left after {steps}')
        return view[:, :-1], view[:, -1].round().astype(np.int64)

    def transform(self, results: dict) -> dict:
        points = results['points']
        name = results.get('lidar_path', '<sample>')
        if len(points) >= _MAX_EXACT_INDEX:
            raise SampleFileError(f'{name}: {len(points)} points; TwoPointViews handles fewer '
                                  f'than {_MAX_EXACT_INDEX} (subsample the scene first)')
        crops, results['views_fallback'] = self._crops(points[:, :3])
        results['views'] = [dict(zip(('points', 'index'), self._view(points, crop, name)))
                            for crop in crops]
        # Rows holding the same input point (first occurrence where sampling repeated one).
        _, rows_1, rows_2 = np.intersect1d(*(v['index'] for v in results['views']),
                                           return_indices=True)
        results['matches'] = np.stack([rows_1, rows_2], axis=1)
        return results
