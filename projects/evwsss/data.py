"""Event segmentation data: a folder-per-sequence dataset and its pipeline.

Layout (the bundled simulated set; ``tools/data`` converters write the same)::

    <data_root>/<split>/<sequence>/
        events.npz     x, y, t [us], p of the whole recording around the label time
        label.png      dense labels at the label time (255 = ignore)
        points_1.png   sparse point labels (255 = unlabelled), k clicks per class
        meta.json      {"t_label": us, "height": H, "width": W, "classes": [...]}
"""
import glob
import json
import os.path as osp

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import PixelData
from mmseg.datasets import BaseSegDataset
from mmseg.structures import SegDataSample

from ..common.datasets.loading import SampleFileError, check_file
from ..common.events import (load_events, reverse_events, voxel_grid_chunks, window_after,
                             window_by_count, window_by_duration)
from ..common.registry import register_in


def _read_png(path: str) -> np.ndarray:
    from PIL import Image
    check_file(path)
    try:
        return np.array(Image.open(path))
    except Exception as err:
        raise SampleFileError(f'{path}: cannot decode image ({err})') from err


def load_sequence(folder: str):
    """(meta dict, checked ``EventStream``) of one sequence folder."""
    meta_path = osp.join(folder, 'meta.json')
    check_file(meta_path)
    with open(meta_path) as f:
        meta = json.load(f)
    return meta, load_events(osp.join(folder, 'events.npz'), meta['height'], meta['width'])


@register_in('mmseg', kind='DATASETS')
class EventSegFolder(BaseSegDataset):
    """Sequences under ``data_root/<split>/``; classes from ``metainfo`` or the first
    sequence's meta.json; ``points`` picks ``points_<points>.png``."""

    def __init__(self, data_root: str, split: str = 'train', points: int = 1, **kwargs):
        self.split, self.points = split, points
        metas = sorted(glob.glob(osp.join(data_root, split, '*', 'meta.json')))
        if not metas:
            raise FileNotFoundError(f'{osp.join(data_root, split)}: no sequences '
                                    '(<sequence>/meta.json) found')
        if 'metainfo' not in kwargs:
            with open(metas[0]) as f:
                kwargs['metainfo'] = dict(classes=tuple(json.load(f)['classes']))
        super().__init__(data_root=data_root, img_suffix='.npz', seg_map_suffix='.png',
                         **kwargs)

    def load_data_list(self):
        data_list = []
        for meta in sorted(glob.glob(osp.join(self.data_root, self.split, '*', 'meta.json'))):
            folder = osp.dirname(meta)
            data_list.append(dict(seq_path=folder, seg_map_path=osp.join(folder, 'label.png'),
                                  points_path=osp.join(folder, f'points_{self.points}.png'),
                                  label_map=self.label_map, reduce_zero_label=False,
                                  seg_fields=[]))
        return data_list


@register_in('mmseg', kind='TRANSFORMS')
class LoadEventSequence(BaseTransform):
    """``results['inputs']`` (S, T, bins, H, W): S = 1 (forward) or 2 (+ reversed), plus
    ``gt_seg_map`` and ``gt_points`` (H, W).

    Forward window: ``num_chunks`` x ``events_per_chunk`` events ending at the label time
    (the release), or the events of the last ``duration_us`` split into equal-count chunks.
    Reversed (``reversed_multiplier``): ``multiplier`` x as many events (or x the duration)
    from the label time on, played backwards (t -> t_min + t_max - t, polarity flipped),
    same chunks. Too few events for a window stop with an error naming the file.
    """

    def __init__(self, num_chunks: int = 20, events_per_chunk: int = 100_000, bins: int = 5,
                 duration_us=None, reversed_multiplier=None, crop_bottom: int = 0):
        self.num_chunks, self.events_per_chunk, self.bins = num_chunks, events_per_chunk, bins
        self.duration_us = duration_us
        self.reversed_multiplier = reversed_multiplier
        self.crop_bottom = crop_bottom

    def transform(self, results: dict) -> dict:
        folder = results['seq_path']
        meta, events = load_sequence(folder)
        h, w, t_label = meta['height'], meta['width'], meta['t_label']
        name = osp.join(folder, 'events.npz')
        count = self.num_chunks * self.events_per_chunk
        forward = window_by_duration(events, t_label, self.duration_us, name) \
            if self.duration_us else window_by_count(events, t_label, count, name)
        streams = [forward]
        if self.reversed_multiplier:
            if self.duration_us:
                end = t_label + int(self.reversed_multiplier * self.duration_us)
                after = window_by_duration(events, end, end - t_label, name)
            else:
                after = window_after(events, t_label + 1,
                                     int(self.reversed_multiplier * count), name)
            streams.append(reverse_events(after))
        rows = h - self.crop_bottom
        results['inputs'] = np.stack([voxel_grid_chunks(s, self.num_chunks, self.bins, h, w)
                                      for s in streams])[..., :rows, :]
        for key, path in (('gt_seg_map', results['seg_map_path']),
                          ('gt_points', results['points_path'])):
            label = _read_png(path)
            if label.shape != (h, w):
                raise SampleFileError(f'{path}: label of shape {label.shape}, the sensor is '
                                      f'{h}x{w}')
            results[key] = label[:rows]
        results['img_shape'] = results['ori_shape'] = (rows, w)
        return results


@register_in('mmseg', kind='TRANSFORMS')
class RandomFlipEvents(BaseTransform):
    """Horizontal flip of the event tensors and both label maps together."""

    def __init__(self, prob: float = 0.5):
        self.prob = prob

    def transform(self, results: dict) -> dict:
        results['flip'] = bool(np.random.rand() < self.prob)
        if results['flip']:
            for key in ('inputs', 'gt_seg_map', 'gt_points'):
                results[key] = np.ascontiguousarray(results[key][..., ::-1])
        return results


@register_in('mmseg', kind='TRANSFORMS')
class PackEventSeg(BaseTransform):
    """``inputs`` tensor (S, T, bins, H, W); a ``SegDataSample`` with ``gt_sem_seg`` and
    ``gt_points``."""

    def transform(self, results: dict) -> dict:
        sample = SegDataSample(metainfo=dict(
            seq_path=results['seq_path'], img_shape=results['img_shape'],
            ori_shape=results['ori_shape'], flip=False, padding_size=[0, 0, 0, 0]))
        sample.gt_sem_seg = PixelData(data=torch.from_numpy(
            results['gt_seg_map'].astype(np.int64))[None])
        sample.gt_points = PixelData(data=torch.from_numpy(
            results['gt_points'].astype(np.int64))[None])
        return dict(inputs=torch.from_numpy(results['inputs']).float(), data_samples=sample)
