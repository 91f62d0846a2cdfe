"""Point-cloud files with checks: ``.bin`` (float32 rows), ``.npy`` and ``.ply`` (open3d)."""
import os.path as osp

import numpy as np
from mmcv.transforms import BaseTransform

from ..registry import register_in
from ..errors import SampleFileError, check_file


def load_points(path: str, num_features: int = 4) -> np.ndarray:
    """(N, C) float32 points: x, y, z first.

    ``.bin`` files hold ``num_features`` float32 values a point (KITTI: x, y, z, intensity);
    ``.npy`` an (N, C >= 3) array; ``.ply`` is read with open3d (xyz, then rgb in [0, 1]
    when present); ``.txt`` holds comma- or space-separated rows (ModelNet40). Raises
    ``SampleFileError`` naming the file for missing, empty,
    truncated or non-finite clouds.
    """
    check_file(path)
    ext = osp.splitext(path)[1].lower()
    if ext == '.bin':
        raw = np.fromfile(path, dtype=np.float32)
        if raw.size % num_features:
            raise SampleFileError(f'{path}: {raw.size} float32 values do not split into rows '
                                  f'of {num_features} (truncated file or wrong num_features)')
        points = raw.reshape(-1, num_features)
    elif ext == '.npy':
        try:
            points = np.load(path, allow_pickle=False)
        except Exception as err:
            raise SampleFileError(f'{path}: cannot read .npy ({err})') from err
        if points.ndim != 2 or points.shape[1] < 3:
            raise SampleFileError(f'{path}: expected an (N, C>=3) array, got {points.shape}')
    elif ext == '.ply':
        import open3d as o3d
        cloud = o3d.io.read_point_cloud(path)
        points = np.asarray(cloud.points)
        if cloud.has_colors():
            points = np.concatenate([points, np.asarray(cloud.colors)], axis=1)
    elif ext == '.txt':  # ModelNet40 (resampled): "x,y,z,nx,ny,nz" rows
        with open(path) as f:
            delimiter = ',' if ',' in f.readline() else None
        try:
            points = np.loadtxt(path, delimiter=delimiter, dtype=np.float32, ndmin=2)
        except ValueError as err:
            raise SampleFileError(f'{path}: cannot parse text rows ({err})') from err
        if points.shape[1] < 3:
            raise SampleFileError(f'{path}: expected rows of >= 3 values, got {points.shape[1]}')
    else:
        raise SampleFileError(f'{path}: unsupported point-cloud format {ext!r} '
                              '(use .bin, .npy, .ply or .txt)')
    if len(points) == 0:
        raise SampleFileError(f'{path}: point cloud is empty')
    points = points.astype(np.float32)
    bad = ~np.isfinite(points).all(axis=1)
    if bad.any():
        raise SampleFileError(f'{path}: {int(bad.sum())} of {len(points)} points hold NaN or Inf')
    return points


@register_in('mmengine', kind='TRANSFORMS')
class LoadPointsChecked(BaseTransform):
    """Load ``results['lidar_path']`` (or ``'pts_path'``) into ``results['points']``."""

    def __init__(self, num_features: int = 4, use_dims=None):
        self.num_features = num_features
        self.use_dims = use_dims

    def transform(self, results: dict) -> dict:
        path = results.get('lidar_path') or results.get('pts_path')
        if path is None:
            raise KeyError('LoadPointsChecked needs lidar_path or pts_path in the sample')
        points = load_points(path, self.num_features)
        if self.use_dims is not None:
            if max(self.use_dims) >= points.shape[1]:
                raise SampleFileError(f'{path}: has {points.shape[1]} values a point, '
                                      f'use_dims asks for {list(self.use_dims)}')
            points = points[:, list(self.use_dims)]
        results['points'] = points
        return results
