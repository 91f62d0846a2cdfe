"""Bi-temporal pipeline: checked pair loading, joint geometry, packing.

A pair is loaded as one (H, W, 6) image (A's RGB then B's); ``RandomRescaleCropFlip``
moves it and every label map in ``seg_fields`` together (mmcv's resize / pad / flip only
know ``gt_seg_map``). Photometric changes are applied per date by the model's strong view.
"""
import os.path as osp

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from ..common.errors import SampleFileError
from ..common.registry import register_in
from .datasets import PSEUDO_KEYS


def _read(path: str, pair: str) -> np.ndarray:
    from PIL import Image
    if not osp.isfile(path):
        raise SampleFileError(f'{pair}: {path} not found')
    try:
        return np.array(Image.open(path))
    except Exception as err:
        raise SampleFileError(f'{pair}: cannot decode {path} ({err})') from err


def _check_values(label: np.ndarray, allowed, path: str, pair: str) -> None:
    bad = np.setdiff1d(np.unique(label), allowed)
    if len(bad):
        raise SampleFileError(f'{pair}: {path} has values {bad[:5].tolist()} (expected '
                              f'{sorted(allowed)})')


@register_in('mmengine', kind='TRANSFORMS')
class LoadChangePair(BaseTransform):
    """``img`` (H, W, 6) uint8 = A | B, ``gt_seg_map`` in {0, 1, 255} (``with_label``) and
    the ``pseudo_labels`` maps; every problem names the pair (A and B sizes or channel
    counts differ, a partner or label file missing, label values out of range)."""

    def __init__(self, with_label: bool = True, pseudo_labels=()):
        self.with_label, self.pseudo_labels = with_label, tuple(pseudo_labels)

    def transform(self, results: dict) -> dict:
        path_a, path_b = results['img_path'], results['img_path2']
        pair = f'pair {osp.basename(path_a)} ({path_a} | {path_b})'
        img_a, img_b = _read(path_a, pair), _read(path_b, pair)
        for name, img in (('A', img_a), ('B', img_b)):
            if img.ndim != 3 or img.shape[2] not in (3, 4):
                raise SampleFileError(f'{pair}: {name} has shape {img.shape}, expected RGB')
        if img_a.shape != img_b.shape:
            raise SampleFileError(f'{pair}: A is {img_a.shape} but B is {img_b.shape} (H, W, '
                                  'C must match)')
        results['img'] = np.concatenate([img_a[..., :3], img_b[..., :3]], axis=2)
        results['img_shape'] = results['ori_shape'] = img_a.shape[:2]
        results.setdefault('seg_fields', [])
        if self.with_label:
            path, change = results['seg_map_path'], results['change_value']
            label = _read(path, pair)
            allowed = {0, change} | ({255} if change != 255 else set())
            _check_values(label, sorted(allowed), path, pair)
            results['gt_seg_map'] = np.where(label == change, 1, label).astype(np.uint8)
            results['seg_fields'].append('gt_seg_map')
        for key in self.pseudo_labels:
            path = results.get(f'{key}_path')
            if path is None:
                raise SampleFileError(f'{pair}: no {key} folder in the dataset\'s pseudo_prefix')
            if not osp.isfile(path):
                raise SampleFileError(f'{pair}: {path} not found (write pseudo labels with '
                                      'tools/data/make_change_pseudo_labels.py)')
            label = _read(path, pair)
            _check_values(label, [0, 1, 255], path, pair)
            if label.shape != img_a.shape[:2]:
                raise SampleFileError(f'{pair}: {path} is {label.shape}, the images '
                                      f'{img_a.shape[:2]}')
            results[key] = label
            results['seg_fields'].append(key)
        return results


@register_in('mmengine', kind='TRANSFORMS')
class RandomRescaleCropFlip(BaseTransform):
    """The release's joint geometry: rescale by U(``ratio_range``), pad to ``crop_size``
    (image 0, labels 255; ``pad_mask`` marks padding with 255 so that pseudo-label losses
    skip it), random crop, horizontal flip with ``flip_prob``."""

    def __init__(self, crop_size=256, ratio_range=(0.8, 1.2), flip_prob: float = 0.5):
        self.crop = (crop_size, crop_size) if isinstance(crop_size, int) else tuple(crop_size)
        self.ratio_range, self.flip_prob = ratio_range, flip_prob

    def transform(self, results: dict) -> dict:
        import cv2
        img = results['img']
        results['pad_mask'] = np.zeros(img.shape[:2], np.uint8)
        fields = list(dict.fromkeys(results.get('seg_fields', []) + ['pad_mask']))
        ratio = np.random.uniform(*self.ratio_range)
        size = (max(1, round(img.shape[1] * ratio)), max(1, round(img.shape[0] * ratio)))
        img = np.dstack([cv2.resize(img[..., c:c + 3], size, interpolation=cv2.INTER_LINEAR)
                         for c in range(0, img.shape[2], 3)])
        maps = {k: cv2.resize(results[k], size, interpolation=cv2.INTER_NEAREST)
                for k in fields}
        ch, cw = self.crop
        pad_h, pad_w = max(ch - img.shape[0], 0), max(cw - img.shape[1], 0)
        if pad_h or pad_w:
            img = np.pad(img, ((0, pad_h), (0, pad_w), (0, 0)))
            maps = {k: np.pad(v, ((0, pad_h), (0, pad_w)), constant_values=255)
                    for k, v in maps.items()}
        top = np.random.randint(img.shape[0] - ch + 1)
        left = np.random.randint(img.shape[1] - cw + 1)
        window = (slice(top, top + ch), slice(left, left + cw))
        img, maps = img[window], {k: v[window] for k, v in maps.items()}
        if np.random.rand() < self.flip_prob:
            img, maps = img[:, ::-1], {k: v[:, ::-1] for k, v in maps.items()}
        results['img'] = np.ascontiguousarray(img)
        results.update({k: np.ascontiguousarray(v) for k, v in maps.items()})
        results['seg_fields'] = fields
        results['img_shape'] = img.shape[:2]
        return results


@register_in('mmengine', kind='TRANSFORMS')
class PackChangeInputs(BaseTransform):
    """``inputs`` (6, H, W) uint8 tensor; a ``SegDataSample`` with ``gt_sem_seg``, and
    ``pad_mask`` and the pseudo labels as pixel-data fields of the same names."""

    META = ('img_path', 'img_path2', 'seg_map_path', 'ori_shape', 'img_shape', 'flip',
            'flip_direction', 'scale_factor')

    def transform(self, results: dict) -> dict:
        img = results['img']
        sample = SegDataSample(metainfo={k: results[k] for k in self.META if k in results})
        for key in ('gt_seg_map', 'pad_mask') + PSEUDO_KEYS:
            if key in results:
                data = PixelData(data=torch.from_numpy(results[key].astype(np.int64))[None])
                setattr(sample, 'gt_sem_seg' if key == 'gt_seg_map' else key, data)
        return dict(inputs=torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1))),
                    data_samples=sample)
