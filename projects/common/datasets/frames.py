"""Posed RGB frames of a point cloud, from a JSON file next to it.

``<cloud stem>_frames.json`` holds a list of frames::

    [{"img_path": "rgb/000.png",          # relative to the JSON file, or absolute
      "intrinsic": [[fx, 0, cx], [0, fy, cy], [0, 0, 1]],
      "extrinsic": [[...4x4 world -> camera...]]}, ...]

(ScanNet: one entry per exported ``color/*.jpg`` with ``intrinsic_color.txt`` and the
inverse of ``pose/*.txt``; see data/README.md.)
"""
import json
import os.path as osp
from typing import List

import numpy as np
from mmcv.transforms import BaseTransform

from ..registry import register_in
from ..errors import SampleFileError, check_file

FRAMES_SUFFIX = '_frames.json'


def frames_path_for(cloud_path: str, suffix: str = FRAMES_SUFFIX) -> str:
    return osp.splitext(cloud_path)[0] + suffix


def _matrix(path: str, i: int, frame: dict, key: str, shape: tuple) -> np.ndarray:
    if frame.get(key) is None:
        raise SampleFileError(f'{path}: frame {i} has no {key} (missing calibration)')
    value = np.asarray(frame[key], dtype=np.float64)
    if value.shape != shape or not np.isfinite(value).all():
        raise SampleFileError(f'{path}: frame {i} {key} must be a finite {shape[0]}x{shape[1]} '
                              f'matrix, got shape {value.shape}')
    return value


def load_frames(path: str) -> List[dict]:
    """Frames with ``img_path`` (absolute), ``intrinsic`` (3, 3), ``extrinsic`` (4, 4)."""
    check_file(path)
    try:
        with open(path) as f:
            entries = json.load(f)
    except ValueError as err:
        raise SampleFileError(f'{path}: not valid JSON ({err})') from err
    if not isinstance(entries, list) or not entries:
        raise SampleFileError(f'{path}: expected a non-empty list of frames')
    frames = []
    for i, entry in enumerate(entries):
        if 'img_path' not in entry:
            raise SampleFileError(f'{path}: frame {i} has no img_path')
        img_path = osp.join(osp.dirname(path), entry['img_path'])
        check_file(img_path)
        frames.append(dict(img_path=img_path,
                           intrinsic=_matrix(path, i, entry, 'intrinsic', (3, 3)),
                           extrinsic=_matrix(path, i, entry, 'extrinsic', (4, 4))))
    return frames


@register_in('mmengine', kind='TRANSFORMS')
class LoadPosedFrames(BaseTransform):
    """``results['frames']`` from the JSON next to ``results['lidar_path']``."""

    def __init__(self, suffix: str = FRAMES_SUFFIX):
        self.suffix = suffix

    def transform(self, results: dict) -> dict:
        path = frames_path_for(results['lidar_path'], self.suffix)
        if not osp.exists(path):
            raise SampleFileError(f'{results["lidar_path"]}: no posed frames ({path} is missing)')
        results['frames'] = load_frames(path)
        return results
