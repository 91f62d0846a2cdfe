"""EV-WSSS pipeline: the event tensors of a labelled time (forward window before it, reversed
window after it), paired flips, packing for the segmentor."""
import os.path as osp

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from ..common.errors import SampleFileError
from ..common.events import (reverse_events,
                             take_after, take_before, voxel_grid_chunks, window_by_duration)
from ..common.registry import register_in
from .datasets import label_time_events, read_label


@register_in('mmengine', kind='TRANSFORMS')
class LoadEventSequence(BaseTransform):
    """``results['inputs']`` (S, T, bins, H, W): S = 1 (forward) or 2 (+ reversed), plus
    ``gt_seg_map`` and ``gt_points`` (H, W), all with the bottom ``crop_bottom`` rows cut.

    Forward window: ``num_chunks`` x ``events_per_chunk`` events ending at the label time
    (the release), or the events of the last ``duration_us`` split into equal-count chunks.
    Reversed (``reversed_multiplier``): ``multiplier`` x as many events (or x the duration)
    from the label time on, played backwards (t -> t_min + t_max - t, polarity flipped),
    same chunks. Too few events for a window stop with an error naming the file. Labels
    may be sensor-sized or already cropped (DDD17's masks).
    """

    def __init__(self, num_chunks: int = 20, events_per_chunk: int = 100_000, bins: int = 5,
                 duration_us=None, reversed_multiplier=None, crop_bottom: int = 0):
        self.num_chunks, self.events_per_chunk, self.bins = num_chunks, events_per_chunk, bins
        self.duration_us = duration_us
        self.reversed_multiplier = reversed_multiplier
        self.crop_bottom = crop_bottom

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
        results['inputs'] = np.stack([
            voxel_grid_chunks(s, self.num_chunks, self.bins, h, w)
            for s in self._windows(results)])[..., :rows, :]
        for key, path, index in (('gt_seg_map', results['seg_map_path'],
                                  results.get('label_index')),
                                 ('gt_points', results['points_path'], None)):
            if key == 'gt_points' and not osp.exists(path):
                raise SampleFileError(f'{path}: point labels not found (write them with '
                                      'tools/data/make_point_labels.py)')
            label = read_label(path, index)
            if label.shape not in ((h, w), (rows, w)):
                raise SampleFileError(f'{path}: label of shape {label.shape}, the sensor is '
                                      f'{h}x{w} ({rows}x{w} after the crop)')
            results[key] = label[:rows]
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
