"""EV-WSSS pipeline: the event tensors of a labelled time (forward window before it, reversed
window after it), paired flips, packing for the segmentor."""
import hashlib
import io
import json
import os
import os.path as osp

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from ..common.engine.atomic_io import atomic_write
from ..common.errors import SampleFileError
from ..common.events import (reverse_events,
                             take_after, take_before, voxel_grid_chunks, window_by_duration)
from ..common.registry import register_in
from .datasets import label_time_events, read_label


def _lookup_table(label_map):
    """uint8 table applying ``{source id: class}`` (others -> 255 ignore), or None."""
    if not label_map:
        return None
    table = np.full(256, 255, np.uint8)
    for source, target in label_map.items():
        table[int(source)] = target
    return table


@register_in('mmengine', kind='TRANSFORMS')
class LoadEventSequence(BaseTransform):
    """``results['inputs']`` (S, T, bins, H, W): S = 1 (forward) or 2 (+ reversed), plus
    ``gt_seg_map`` and ``gt_points`` (H, W), all with the bottom ``crop_bottom`` rows cut.

    Forward window: ``num_chunks`` x ``events_per_chunk`` events ending at the label time
    (the release), or the events of the last ``duration_us`` split into equal-count chunks.
    Reversed (``reversed_multiplier``): ``multiplier`` x as many events (or x the duration)
    from the label time on, played backwards (t -> t_min + t_max - t, polarity flipped),
    same chunks. Too few events for a window stop with an error naming the file. Labels
    may be sensor-sized or already cropped (DDD17's masks); ``label_map`` of the item maps
    their ids (others become 255).

    ``cache_dir``: keep each sample's tensors on disk and compute them once (as the release
    precomputes its voxel grids: a DSEC sample reads 12 M events). Files live under
    ``<cache_dir>/<hash of the window settings>/<hash of the events file, its size and
    modification time, and the label time>.npy``, stored as ``cache_dtype`` (float16: half
    the size, values within 1e-3 relative; float32: exact). A DSEC paper sample takes
    2 x 100 x 440 x 640 values: 112 MB in float16.
    """

    def __init__(self, num_chunks: int = 20, events_per_chunk: int = 100_000, bins: int = 5,
                 duration_us=None, reversed_multiplier=None, crop_bottom: int = 0,
                 cache_dir=None, cache_dtype: str = 'float16'):
        self.num_chunks, self.events_per_chunk, self.bins = num_chunks, events_per_chunk, bins
        self.duration_us = duration_us
        self.reversed_multiplier = reversed_multiplier
        self.crop_bottom = crop_bottom
        self.cache_dtype = np.dtype(cache_dtype)
        self.cache_dir = None
        if cache_dir:
            settings = json.dumps([num_chunks, events_per_chunk, bins, duration_us,
                                   reversed_multiplier, crop_bottom, cache_dtype])
            self.cache_dir = osp.join(cache_dir, hashlib.sha1(settings.encode()).hexdigest()[:12])

    def _tensors(self, results: dict) -> np.ndarray:
        """(S, T, bins, rows, W) event tensors of a sample, from the cache if there."""
        h, w = results['height'], results['width']
        rows = h - self.crop_bottom

        def compute():
            return np.stack([voxel_grid_chunks(s, self.num_chunks, self.bins, h, w)
                             for s in self._windows(results)])[..., :rows, :]
        if not self.cache_dir:
            return compute()
        events = results['events_path']
        stat = os.stat(events if not osp.isdir(events) else osp.join(events, 'events.dat.t'))
        key = json.dumps([osp.abspath(events), stat.st_size, stat.st_mtime_ns,
                          results.get('t_label'), results.get('event_index'),
                          results.get('rectify_path')])
        path = osp.join(self.cache_dir, hashlib.sha1(key.encode()).hexdigest() + '.npy')
        if osp.isfile(path):
            try:
                return np.load(path).astype(np.float32)
            except (OSError, ValueError):
                pass  # unreadable: computed again and rewritten
        tensors = compute()
        buffer = io.BytesIO()
        np.save(buffer, tensors.astype(self.cache_dtype))
        atomic_write(buffer.getvalue(), path)
        return tensors

    def _windows(self, results: dict):
        source, stop, t_label = label_time_events(results)
        name = results['events_path']
        if self.duration_us:
            streams = [window_by_duration(source, t_label, self.duration_us, name)]
            if self.reversed_multiplier:
                span = int(self.reversed_multiplier * self.duration_us)
                streams.append(window_by_duration(source, t_label + span, span, name))
        else:
            count = self.num_chunks * self.events_per_chunk
            streams = [take_before(source, stop, count, name)]
            if self.reversed_multiplier:
                streams.append(take_after(source, stop, int(self.reversed_multiplier * count),
                                          name))
        return streams[:1] + [reverse_events(s) for s in streams[1:]]

    def transform(self, results: dict) -> dict:
        h, w = results['height'], results['width']
        rows = h - self.crop_bottom
        results['inputs'] = self._tensors(results)
        lookup = _lookup_table(results.get('label_map'))
        for key, path in (('gt_seg_map', results['seg_map_path']),
                          ('gt_points', results['points_path'])):
            if key == 'gt_points' and path is None:  # a test item without clicks
                results[key] = np.full((rows, w), 255, np.uint8)
                continue
            if key == 'gt_points' and not osp.exists(path):
                raise SampleFileError(f'{path}: point labels not found (write them with '
                                      'tools/data/make_point_labels.py)')
            label = read_label(path)
            if label.shape not in ((h, w), (rows, w)):
                raise SampleFileError(f'{path}: label of shape {label.shape}, the sensor is '
                                      f'{h}x{w} ({rows}x{w} after the crop)')
            results[key] = label[:rows] if lookup is None else lookup[label[:rows]]
        results['img_shape'] = results['ori_shape'] = (rows, w)
        return results


@register_in('mmengine', kind='TRANSFORMS')
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


@register_in('mmengine', kind='TRANSFORMS')
class PackEventSeg(BaseTransform):
    """``inputs`` tensor (S, T, bins, H, W); a ``SegDataSample`` with ``gt_sem_seg`` and
    ``gt_points``."""

    def transform(self, results: dict) -> dict:
        sample = SegDataSample(metainfo=dict(
            sample_id=results['sample_id'], img_shape=results['img_shape'],
            ori_shape=results['ori_shape'], flip=False, padding_size=[0, 0, 0, 0]))
        sample.gt_sem_seg = PixelData(data=torch.from_numpy(
            results['gt_seg_map'].astype(np.int64))[None])
        sample.gt_points = PixelData(data=torch.from_numpy(
            results['gt_points'].astype(np.int64))[None])
        return dict(inputs=torch.from_numpy(results['inputs']).float(), data_samples=sample)
