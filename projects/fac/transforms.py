"""FAC data pipeline pieces: segments per point, then packing two views for the model."""
import hashlib
import io
import json
import os.path as osp
import zipfile
from dataclasses import dataclass, fields
from typing import List, Optional

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.registry import TASK_UTILS

from ..common.engine.atomic_io import atomic_write
from ..common.errors import SampleFileError
from ..common.registry import register_in


@register_in('mmengine', kind='TRANSFORMS')
class ComputeSegments(BaseTransform):
    """``results['segments']`` (N,) and ``results['is_foreground']`` (S,) from a provider.

    ``cache_dir``: keep each scene's segments on disk and compute them once (RANSAC +
    DBSCAN or SAM on every sample is the loader's slowest step). Files live under
    ``<cache_dir>/<Provider>-<hash of its settings>/<hash of the points>.npz``, so changing a
    provider setting or the points starts a new cache instead of reusing a stale one.
    """

    def __init__(self, provider: dict, cache_dir: Optional[str] = None):
        self.provider = TASK_UTILS.build(provider)
        self.cache_dir = cache_dir
        if cache_dir:
            settings = json.dumps(provider, sort_keys=True, default=repr)
            tag = hashlib.sha1(settings.encode()).hexdigest()[:12]
            self.cache_dir = osp.join(cache_dir, f'{type(self.provider).__name__}-{tag}')

    def _cached(self, points: np.ndarray, results: dict):
        if not self.cache_dir:
            return self.provider(points, results)
        key = hashlib.sha1(np.ascontiguousarray(points).tobytes()).hexdigest()
        path = osp.join(self.cache_dir, f'{key}.npz')
        if osp.isfile(path):
            try:
                with np.load(path) as f:
                    return f['segments'], f['is_foreground']
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                pass  # unreadable: computed again and rewritten
        segments, is_foreground = self.provider(points, results)
        buffer = io.BytesIO()
        np.savez(buffer, segments=segments, is_foreground=is_foreground)
        atomic_write(buffer.getvalue(), path)
        return segments, is_foreground

    def transform(self, results: dict) -> dict:
        points = results['points']
        if hasattr(points, 'tensor'):  # mmdet3d BasePoints (LoadPointsFromFile): plain array
            points = results['points'] = points.tensor.numpy()
        try:
            results['segments'], results['is_foreground'] = self._cached(points, results)
        except ValueError as err:  # e.g. too few points for the plane fit: name the scene
            if isinstance(err, SampleFileError):
                raise
            name = results.get('lidar_path', '<sample>')
            raise SampleFileError(f'{name}: {type(self.provider).__name__}: {err}') from err
        return results


@dataclass
class TwoViewScene:
    """One scene's two views for FAC; a plain object, so collation keeps scenes whole."""

    points: List[torch.Tensor]    # two (N_v, C) clouds
    segments: List[torch.Tensor]  # two (N_v,) segment ids (-1 = none)
    matches: torch.Tensor         # (M, 2) rows of view 1 / view 2 holding the same point
    is_foreground: torch.Tensor   # (S,) bool
    views_fallback: bool = False  # the crops never overlapped enough: both are the whole cloud

    def to(self, device) -> 'TwoViewScene':
        def move(value):
            if isinstance(value, list):
                return [v.to(device) for v in value]
            return value.to(device) if torch.is_tensor(value) else value
        return TwoViewScene(**{f.name: move(getattr(self, f.name)) for f in fields(self)})


@register_in('mmengine', kind='TRANSFORMS')
class PackTwoPointViews(BaseTransform):
    """Pack ``TwoPointViews`` output as ``inputs=TwoViewScene`` (tensors)."""

    def transform(self, results: dict) -> dict:
        views = results['views']
        scene = TwoViewScene(
            points=[torch.from_numpy(np.ascontiguousarray(v['points'])).float() for v in views],
            segments=[torch.from_numpy(results['segments'][v['index']]).long() for v in views],
            matches=torch.from_numpy(results['matches']).long(),
            is_foreground=torch.from_numpy(np.asarray(results['is_foreground'], bool)),
            views_fallback=bool(results.get('views_fallback', False)))
        return dict(inputs=scene, data_samples=results.get('lidar_path'))
