"""Per-date labellers: (class probabilities (K, H, W), building instances (N, H, W) bool)
of one image, the input of the change-event generation.

* ``DiskVLMOutputs``: outputs of a vision-language model run offline (the release uses
  APE with the prompt "house,building,road,grass,tree,water"): ``<date>/<id>_probs.npy``
  and ``<date>/<id>_instances.npz`` (``masks``, ``labels``) or ``.json`` (COCO RLE list
  with ``segmentation`` and ``category_id``).
* ``SamMaskLabeller``: segment-anything masks from a user checkpoint, each labelled by a
  mask classifier ``(image, mask) -> class id``.
"""
import importlib
import json
import os.path as osp

import numpy as np

from ..common.errors import SampleFileError
from ..common.models.sam import build_sam


def _compressed_rle(rle: dict, stem: str) -> dict:
    """COCO RLE as pycocotools decodes it: counts given as a list (uncompressed) are
    compressed first; counts as text (detectron2's json) are made bytes."""
    from pycocotools import mask as mask_utils
    if not isinstance(rle, dict) or 'size' not in rle or 'counts' not in rle:
        raise SampleFileError(f'{stem}_instances.json: segmentation {str(rle)[:60]} is not a '
                              'COCO RLE (a dict with size and counts)')
    if isinstance(rle['counts'], list):
        return mask_utils.frPyObjects(rle, *rle['size'])
    counts = rle['counts']
    return dict(size=rle['size'], counts=counts.encode() if isinstance(counts, str) else counts)


class DiskVLMOutputs:

    def __init__(self, root: str, building_classes=(0, 1)):
        self.root, self.building_classes = root, tuple(building_classes)

    def _instances(self, stem: str, shape):
        if osp.isfile(stem + '_instances.npz'):
            with np.load(stem + '_instances.npz') as f:
                masks, labels = f['masks'].astype(bool), f['labels']
        elif osp.isfile(stem + '_instances.json'):
            from pycocotools import mask as mask_utils
            with open(stem + '_instances.json') as f:
                items = json.load(f)
            masks = np.array([mask_utils.decode(_compressed_rle(i['segmentation'], stem))
                              .astype(bool) for i in items]).reshape(-1, *shape)
            labels = np.array([i['category_id'] for i in items], np.int64)
        else:
            raise SampleFileError(f'{stem}_instances.npz / .json: instance file not found')
        if masks.shape[1:] != tuple(shape):
            raise SampleFileError(f'{stem}: instance masks of size {masks.shape[1:]}, the '
                                  f'probabilities {tuple(shape)}')
        return masks[np.isin(labels, self.building_classes)]

    def __call__(self, image: np.ndarray, name: str, date: str):
        stem = osp.join(self.root, date, name)
        if not osp.isfile(stem + '_probs.npy'):
            raise SampleFileError(f'{stem}_probs.npy: class probabilities not found')
        probs = np.load(stem + '_probs.npy')
        probs = probs.astype(np.float32) / 255 if probs.dtype == np.uint8 else probs
        if probs.ndim != 3 or probs.shape[1:] != image.shape[:2]:
            raise SampleFileError(f'{stem}_probs.npy: shape {probs.shape}, expected (K, '
                                  f'{image.shape[0]}, {image.shape[1]})')
        return probs, self._instances(stem, probs.shape[1:])


def rectangular_building(image: np.ndarray, mask: np.ndarray) -> int:
    """Example mask classifier for aerial views: a compact mask that fills at least 80 % of
    its bounding box and covers 0.2-25 % of the image is a building (1), else grass (3)."""
    rows, cols = np.nonzero(mask)
    if not len(rows):
        return 3
    box = (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)
    fraction = len(rows) / mask.size
    return 1 if len(rows) / box >= 0.8 and 0.002 <= fraction <= 0.25 else 3


class SamMaskLabeller:
    """``classifier``: a callable or ``'module:function'``; masks are painted largest
    first, so smaller ones win; pixels no mask covers get no class (ignored later)."""

    def __init__(self, checkpoint=None, model_type: str = 'vit_b',
                 classifier='projects.semicd_vl.labellers:rectangular_building',
                 num_classes: int = 6, building_classes=(0, 1), tiny_random: bool = False,
                 generator=None, device: str = 'cpu'):
        from segment_anything import SamAutomaticMaskGenerator
        sam = build_sam(checkpoint, model_type, tiny_random).to(device).eval()
        self.generator = SamAutomaticMaskGenerator(sam, **(generator or {}))
        if isinstance(classifier, str):
            module, func = classifier.split(':')
            classifier = getattr(importlib.import_module(module), func)
        self.classifier, self.num_classes = classifier, num_classes
        self.building_classes = tuple(building_classes)

    def __call__(self, image: np.ndarray, name: str = '', date: str = ''):
        masks = sorted((m['segmentation'] for m in self.generator.generate(image)),
                       key=lambda m: -m.sum())
        probs = np.zeros((self.num_classes, *image.shape[:2]), np.float32)
        buildings = []
        for mask in masks:
            cls = int(self.classifier(image, mask))
            probs[:, mask] = 0
            probs[cls, mask] = 1
            if cls in self.building_classes:
                buildings.append(mask)
        return probs, np.array(buildings, bool).reshape(-1, *image.shape[:2])
