"""Event segmentation datasets: the bundled folder layout, DSEC-Semantic and DDD17 read in
place, and the label / label-time readers the pipeline (``transforms.py``) uses.

Each dataset's items carry: ``events_path`` (a file or DDD17 folder), ``height`` / ``width``
(the sensor), the label time as ``t_label`` [us] or ``event_index`` (index of the first
event after the label), ``seg_map_path`` (+ ``label_index`` for DDD17's stacked masks),
``points_path``, optionally ``rectify_path`` (DSEC), and ``sample_id``.

Bundled layout (``tools/data/make_samples.py``)::

    <data_root>/<split>/<sequence>/
        events.npz     x, y, t [us], p of the whole recording around the label time
        label.png      dense labels at the label time (255 = ignore)
        points_1.png   sparse point labels (255 = unlabelled), k clicks per class
        meta.json      {"t_label": us, "height": H, "width": W, "classes": [...]}
"""
import functools
import glob
import json
import os.path as osp

import numpy as np
from mmseg.datasets import BaseSegDataset

from ..common.errors import SampleFileError, check_file
from ..common.events import (open_events, read_rectify_map)
from ..common.registry import register_in

DSEC_CLASSES = ('background', 'building', 'fence', 'person', 'pole', 'road', 'sidewalk',
                'vegetation', 'car', 'wall', 'traffic sign')
DDD17_CLASSES = ('flat', 'background', 'object', 'vegetation', 'human', 'vehicle')


def _read_png(path: str) -> np.ndarray:
    from PIL import Image
    check_file(path)
    try:
        return np.array(Image.open(path))
    except Exception as err:
        raise SampleFileError(f'{path}: cannot decode image ({err})') from err


@functools.lru_cache(maxsize=4)
def _mask_stack(path: str) -> np.ndarray:
    """DDD17's ``segmentation_masks.npz``: (N, H, W) labels of every frame of a recording."""
    check_file(path)
    try:
        with np.load(path, allow_pickle=False) as f:
            return f[f.files[0]] if 'segmentation_masks' not in f else f['segmentation_masks']
    except Exception as err:
        raise SampleFileError(f'{path}: cannot read label masks ({err})') from err


def read_label(path: str, index=None) -> np.ndarray:
    """A label map from a PNG, or frame ``index`` of a DDD17 mask stack."""
    if index is None:
        return _read_png(path)
    stack = _mask_stack(path)
    if not 0 <= index < len(stack):
        raise SampleFileError(f'{path}: no label {index} (the file holds {len(stack)})')
    return stack[index]


def label_time_events(info: dict):
    """(events source, index of the first event after the label, label time [us]) of a
    dataset item; the source is read lazily for whole recordings."""
    rectify = info.get('rectify_path')
    rectify = _rectify_map(rectify) if rectify else None
    source = open_events(info['events_path'], info['height'], info['width'], rectify)
    if info.get('event_index') is not None:
        stop = int(info['event_index'])
        if not 0 < stop <= len(source):
            raise SampleFileError(f'{info["events_path"]}: label event index {stop} outside '
                                  f'the {len(source)} recorded events')
        return source, stop, int(source[stop - 1:stop].t[0])
    t_label = int(info['t_label'])
    return source, int(source.t.searchsorted(t_label, side='right')), t_label


@functools.lru_cache(maxsize=8)
def _rectify_map(path: str) -> np.ndarray:
    return read_rectify_map(path)


def _item(sample_id: str, **fields) -> dict:
    return dict(sample_id=sample_id, label_map=None, reduce_zero_label=False, seg_fields=[],
                **fields)


class _EventSegDataset(BaseSegDataset):
    """Items listed by ``load_data_list`` from ``data_root/<split>/``.

    ``sequences`` keeps only the named sequence folders of the split, ``exclude_sequences``
    drops them: a validation set held out of the training split by whole sequences (the
    release evaluates on test during training, so an epoch picked from its log is picked
    on test). A named sequence that does not exist is an error naming it.
    """

    def __init__(self, data_root: str, split: str = 'train', sequences=None,
                 exclude_sequences=(), **kwargs):
        self.split = split
        self.sequences, self.exclude_sequences = sequences, tuple(exclude_sequences)
        if not osp.isdir(osp.join(data_root, split)):
            raise FileNotFoundError(f'{osp.join(data_root, split)}: split folder not found')
        super().__init__(data_root=data_root, **kwargs)

    def _split_dirs(self, pattern: str = '*'):
        root = osp.join(self.data_root, self.split)
        dirs = sorted(d for d in glob.glob(osp.join(root, pattern)) if osp.isdir(d))
        names = {osp.basename(d) for d in dirs}
        for name in (*(self.sequences or ()), *self.exclude_sequences):
            if name not in names:
                raise FileNotFoundError(f'{osp.join(root, name)}: sequence named in the '
                                        'config (sequences / exclude_sequences) not found')
        dirs = [d for d in dirs if osp.basename(d) not in self.exclude_sequences
                and (self.sequences is None or osp.basename(d) in self.sequences)]
        if not dirs:
            raise FileNotFoundError(f'{root}: no sequences')
        return dirs


@register_in('mmengine', kind='DATASETS')
class EventSegFolder(_EventSegDataset):
    """The bundled layout: one folder per labelled time; classes from ``metainfo`` or the
    first sequence's meta.json; ``points`` picks ``points_<points>.png``."""

    def __init__(self, data_root: str, split: str = 'train', points: int = 1, **kwargs):
        self.points = points
        metas = sorted(glob.glob(osp.join(data_root, split, '*', 'meta.json')))
        if not metas:
            raise FileNotFoundError(f'{osp.join(data_root, split)}: no sequences '
                                    '(<sequence>/meta.json) found')
        if 'metainfo' not in kwargs:
            with open(metas[0]) as f:
                kwargs['metainfo'] = dict(classes=tuple(json.load(f)['classes']))
        super().__init__(data_root, split, **kwargs)

    def load_data_list(self):
        data_list = []
        for folder in self._split_dirs():
            meta_path = osp.join(folder, 'meta.json')
            check_file(meta_path)
            with open(meta_path) as f:
                meta = json.load(f)
            data_list.append(_item(
                osp.basename(folder), events_path=osp.join(folder, 'events.npz'),
                height=meta['height'], width=meta['width'], t_label=meta['t_label'],
                seg_map_path=osp.join(folder, 'label.png'),
                points_path=osp.join(folder, f'points_{self.points}.png')))
        return data_list


@register_in('mmengine', kind='DATASETS')
class DSECSemantic(_EventSegDataset):
    """DSEC-Semantic (ESS release) read in place::

        <data_root>/<split>/<sequence>/
            semantic/timestamps.txt                 label times [us], one per label
            semantic/left/11classes/data/*.png      dense labels (``label_dir``)
            semantic/left/11classes/<points_dir>/*.png   point labels, same file names
            events/left/events.h5, rectify_map.h5

    As the release: the first ``skip_first`` labels of each sequence are dropped (6: the
    ESS 250 ms margin) and every ``label_stride``-th label is kept (2 in training: 20 Hz
    labels at 10 Hz). ``points_dir`` is written by ``tools/data/make_point_labels.py`` or
    holds the release's point PNGs.
    """
    METAINFO = dict(classes=DSEC_CLASSES)

    def __init__(self, data_root: str, split: str = 'train',
                 label_dir: str = 'semantic/left/11classes/data',
                 points_dir: str = 'semantic/left/11classes/points_1', skip_first: int = 6,
                 label_stride: int = 1, rectify: bool = True, **kwargs):
        self.label_dir, self.points_dir = label_dir, points_dir
        self.skip_first, self.label_stride, self.rectify = skip_first, label_stride, rectify
        super().__init__(data_root, split, **kwargs)

    def load_data_list(self):
        data_list = []
        for seq in self._split_dirs():
            stamps_path = osp.join(seq, 'semantic', 'timestamps.txt')
            check_file(stamps_path)
            stamps = np.loadtxt(stamps_path, dtype=np.int64).reshape(-1)
            labels = sorted(glob.glob(osp.join(seq, self.label_dir, '*.png')))
            if len(labels) != len(stamps):
                raise SampleFileError(f'{stamps_path}: {len(stamps)} timestamps but '
                                      f'{len(labels)} labels in {self.label_dir}')
            events = osp.join(seq, 'events', 'left')
            for i in range(self.skip_first, len(labels), self.label_stride):
                data_list.append(_item(
                    f'{osp.basename(seq)}/{i:06d}', events_path=osp.join(events, 'events.h5'),
                    rectify_path=(osp.join(events, 'rectify_map.h5') if self.rectify
                                  else None),
                    height=480, width=640, t_label=int(stamps[i]), seg_map_path=labels[i],
                    points_path=osp.join(seq, self.points_dir, osp.basename(labels[i]))))
        return data_list


@register_in('mmengine', kind='DATASETS')
class DDD17Seg(_EventSegDataset):
    """DDD17 segmentation (Ev-SegNet / ESS release) read in place::

        <data_root>/<split>/dir<N>/
            events.dat.t, events.dat.xyp     memory-mapped events (346x260 sensor)
            index/<index_file>               (num_labels, k) rows; the last column is the
                                             index of the first event after the label
            segmentation_masks.npz           (num_labels, 200, 346) labels (bottom 60 rows
                                             of the sensor already removed)
            <points_dir>/<label index>.png   point labels (``make_point_labels.py``)

    Reading the last index column as the event index is this suite's reading of the release.
    """
    METAINFO = dict(classes=DDD17_CLASSES)

    def __init__(self, data_root: str, split: str = 'train',
                 index_file: str = 'index/index_50ms.npy', points_dir: str = 'points_1',
                 **kwargs):
        self.index_file, self.points_dir = index_file, points_dir
        super().__init__(data_root, split, **kwargs)

    def load_data_list(self):
        data_list = []
        for rec in self._split_dirs('dir*'):
            index_path = osp.join(rec, self.index_file)
            check_file(index_path)
            index = np.load(index_path)
            index = index.reshape(len(index), -1)
            masks = osp.join(rec, 'segmentation_masks.npz')
            num = len(_mask_stack(masks))
            if num != len(index):
                raise SampleFileError(f'{index_path}: {len(index)} label indices but {masks} '
                                      f'holds {num} labels')
            for i in range(num):
                data_list.append(_item(
                    f'{osp.basename(rec)}/{i:06d}', events_path=rec, height=260, width=346,
                    event_index=int(index[i, -1]), seg_map_path=masks, label_index=i,
                    points_path=osp.join(rec, self.points_dir, f'{i:06d}.png')))
        return data_list
