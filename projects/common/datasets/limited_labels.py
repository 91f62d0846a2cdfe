"""Limited annotations for 3D segmentation fine-tuning: N labelled points per scene.

The data-efficient protocol of CSC / Pointcept trains with 20, 50, 100 or 200 labelled points
per ScanNet scene; every other point's label becomes ``ignore_index``. The choice is fixed
per scene (the same points every epoch): either read from an annotation file
(``{scene: point indices}``, as the official lists ship, loaded without unpickling code) or
drawn once from a generator seeded by ``seed`` and the scene name.
"""
import hashlib
import os.path as osp
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform

from ..errors import SampleFileError
from ..registry import register_in


def scene_rng(seed: int, scene: str) -> np.random.Generator:
    """A generator fixed by (seed, scene name): the same draw in every epoch and worker."""
    digest = hashlib.sha1(f'{seed}:{scene}'.encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], 'little'))


@register_in('mmengine', kind='TRANSFORMS')
class LimitedAnnotation(BaseTransform):
    """Keep ``num_points`` labelled points of ``results['pts_semantic_mask']`` (all of them
    when the scene has fewer); put it right after loading, before any point sampling.

    Args:
        num_points: labelled points kept per scene (20 / 50 / 100 / 200 in the protocol);
            0 keeps every label (the full-annotation setting).
        ignore_index: the label of unlabelled points (ScanNet in mmdet3d: 20).
        seed: the draw's seed when there is no ``annotation_file``.
        annotation_file: a ``.pth`` holding ``{scene: indices}``; the scene is the stem
            of ``lidar_path``.
    """

    def __init__(self, num_points: int, ignore_index: int = 20, seed: int = 0,
                 annotation_file: Optional[str] = None):
        self.num_points, self.ignore_index, self.seed = num_points, ignore_index, seed
        self.annotation_file = annotation_file
        self._annotations = None

    def _listed(self, scene: str) -> np.ndarray:
        if self._annotations is None:
            from ..safe_load import load_checkpoint_file  # weights_only, numpy allow-list
            self._annotations = load_checkpoint_file(self.annotation_file)
            if not isinstance(self._annotations, dict):
                raise SampleFileError(f'{self.annotation_file}: expected a dict of scene -> '
                                      f'point indices, found '
                                      f'{type(self._annotations).__name__}')
        if scene not in self._annotations:
            raise SampleFileError(f'{self.annotation_file}: no annotated points for scene '
                                  f'{scene}')
        return np.asarray(self._annotations[scene], np.int64)

    def transform(self, results: dict) -> dict:
        if not self.num_points and not self.annotation_file:
            return results
        labels = np.asarray(results['pts_semantic_mask'])
        scene = osp.splitext(osp.basename(results.get('lidar_path', 'scene')))[0]
        if self.annotation_file:
            keep = self._listed(scene)
            if len(keep) and (keep.min() < 0 or keep.max() >= len(labels)):
                raise SampleFileError(f'{self.annotation_file}: indices of scene {scene} '
                                      f'outside its {len(labels)} points')
        else:
            labelled = np.flatnonzero(labels != self.ignore_index)
            count = min(self.num_points, len(labelled))
            keep = scene_rng(self.seed, scene).choice(labelled, count, replace=False)
        limited = np.full_like(labels, self.ignore_index)
        limited[keep] = labels[keep]
        results['pts_semantic_mask'] = limited
        return results
