"""Two-view augmentation that remembers where each crop came from in the original image."""
import copy

import mmcv
import numpy as np
from mmcv.transforms import RandomFlip
from mmpretrain.datasets.transforms import MultiView, RandomResizedCrop

from ..common.registry import register_in


@register_in('mmengine', kind='TRANSFORMS')
class RandomResizedCropCoord(RandomResizedCrop):
    """``RandomResizedCrop`` that also stores ``crop_coord``.

    ``crop_coord = (x1, y1, x2, y2) = (j/(W-1), i/(H-1), (j+w-1)/(W-1), (i+h-1)/(H-1))``
    for a crop of size ``h x w`` at row ``i``, column ``j`` of a ``H x W`` image.
    """

    def transform(self, results: dict) -> dict:
        img = results['img']
        height, width = img.shape[:2]
        top, left, crop_h, crop_w = self.rand_crop_params(img)
        box = np.array([left, top, left + crop_w - 1, top + crop_h - 1])
        img = mmcv.imcrop(img, bboxes=box)
        img = mmcv.imresize(img, tuple(self.scale[::-1]), interpolation=self.interpolation,
                            backend=self.backend)
        results['img'] = img
        results['img_shape'] = img.shape
        scale = np.array([width - 1, height - 1, width - 1, height - 1], dtype=np.float32)
        results['crop_coord'] = box.astype(np.float32) / np.maximum(scale, 1)
        return results


@register_in('mmengine', kind='TRANSFORMS')
class RandomFlipCoord(RandomFlip):
    """Horizontal ``RandomFlip`` that swaps ``x1`` and ``x2`` of ``crop_coord``."""

    def __init__(self, prob: float = 0.5, direction: str = 'horizontal'):
        if direction != 'horizontal':
            raise ValueError('RandomFlipCoord supports horizontal flips only')
        super().__init__(prob=prob, direction=direction)

    def _flip(self, results: dict) -> None:
        super()._flip(results)
        if 'crop_coord' not in results:
            raise KeyError('RandomFlipCoord must follow RandomResizedCropCoord')
        coord = results['crop_coord'].copy()
        coord[[0, 2]] = coord[[2, 0]]
        results['crop_coord'] = coord


@register_in('mmengine', kind='TRANSFORMS')
class TwoViewsWithCoords(MultiView):
    """``MultiView`` that keeps each view's ``crop_coord`` next to its image.

    ``crop_size``, when given, replaces the output size of every ``RandomResizedCropCoord``
    in the views, so configs can reuse one view recipe at another resolution.
    """

    def __init__(self, transforms, num_views=(1, 1), keys=('img', 'crop_coord'),
                 crop_size=None):
        if crop_size is not None:
            transforms = [[dict(t, scale=crop_size)
                           if isinstance(t, dict) and t.get('type') == 'RandomResizedCropCoord'
                           else t for t in view] for view in transforms]
        super().__init__(transforms=transforms, num_views=list(num_views))
        self.keys = keys

    def transform(self, results: dict) -> dict:
        views = [trans(copy.deepcopy(results)) for trans in self.transforms]
        for key in self.keys:
            results[key] = [view[key] for view in views]
        return results
