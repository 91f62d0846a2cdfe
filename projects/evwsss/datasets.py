"""Event segmentation datasets: the bundled folder layout, DSEC-Semantic and DDD17 read in
place, and the label / label-time readers the pipeline (``transforms.py``) uses.

Each dataset's items carry: ``events_path`` (a file or DDD17 folder), ``height`` / ``width``
(the sensor), the label time as ``t_label`` [us] or ``event_index`` (index of the first
event after the label), ``seg_map_path``, ``points_path`` (None: no clicks), optionally
``rectify_path`` (DSEC) and ``label_map`` ({source id: class}), and ``sample_id``.

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


def read_label(path: str) -> np.ndarray:
    """A label map (or point labels) from a PNG."""
    return _read_png(path)


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

    split_folders = True  # sequences under data_root/<split>/ (else under data_root/)

    def __init__(self, data_root: str, split: str = 'train', sequences=None,
                 exclude_sequences=(), **kwargs):
        self.split = split
        self.sequences, self.exclude_sequences = sequences, tuple(exclude_sequences)
        root = osp.join(data_root, split) if self.split_folders else data_root
        if not osp.isdir(root):
            raise FileNotFoundError(f'{root}: {"split " * self.split_folders}folder not found')
        super().__init__(data_root=data_root, **kwargs)

    def _split_dirs(self, pattern: str = '*'):
        root = osp.join(self.data_root, self.split) if self.split_folders else self.data_root
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


# Cityscapes train ids (CMDA's night labels, the authors' point labels) -> the 11 DSEC
# classes, as the release maps them: road, sidewalk, building, wall, fence, pole, traffic
# light + sign -> traffic sign, vegetation + terrain -> vegetation, sky -> background,
# person + rider -> person, car ... bicycle -> car.
CITYSCAPES_TO_DSEC11 = {0: 5, 1: 6, 2: 1, 3: 9, 4: 2, 5: 4, 6: 10, 7: 10, 8: 7, 9: 7, 10: 0,
                        11: 3, 12: 3, 13: 8, 14: 8, 15: 8, 16: 8, 17: 8, 18: 8}


@register_in('mmengine', kind='DATASETS')
class DSECNightPoint(_EventSegDataset):
    """DSEC Night-Point (EV-WSSS): DSEC night sequences with the authors' point labels for
    training and CMDA's dense labels for testing, on the same frames::

        <data_root>/<sequence>/
            events/left/events.h5, rectify_map.h5    the DSEC download of the sequence
            timestamps.txt                           one time [us] per warp image
            warp_images/<6 digits>.png               the release's frame list
            labels/<6 digits>.png                    point labels (Cityscapes train ids)
            labels_test/<sequence>_<6 digits>_grey_gtFine_labelTrainIds.png   dense (CMDA)

    Frame k is the k-th warp image and its time the k-th timestamp; the first frame has no
    events before it and is dropped, as in the release. ``split='train'`` lists the frames
    with point labels, ``'test'`` those with dense labels; labels are mapped to the 11 DSEC
    classes (``CITYSCAPES_TO_DSEC11``). Test items carry no point labels.
    """
    METAINFO = dict(classes=DSEC_CLASSES)
    split_folders = False

    def __init__(self, data_root: str, split: str = 'train', rectify: bool = True, **kwargs):
        if split not in ('train', 'test'):
            raise ValueError(f"DSECNightPoint split {split!r}: use 'train' (point labels) or "
                             "'test' (dense labels)")
        self.rectify = rectify
        super().__init__(data_root, split, **kwargs)

    def load_data_list(self):
        data_list = []
        for seq in self._split_dirs():
            name = osp.basename(seq)
            stamps_path = osp.join(seq, 'timestamps.txt')
            check_file(stamps_path)
            stamps = np.loadtxt(stamps_path, dtype=np.int64).reshape(-1)
            frames = sorted(osp.splitext(osp.basename(p))[0]
                            for p in glob.glob(osp.join(seq, 'warp_images', '*.png')))
            if len(frames) != len(stamps):
                raise SampleFileError(f'{stamps_path}: {len(stamps)} timestamps but '
                                      f'{len(frames)} frames in warp_images/')
            position = {frame: k for k, frame in enumerate(frames)}
            if self.split == 'train':
                labels = sorted(glob.glob(osp.join(seq, 'labels', '*.png')))
                frame_of = [osp.splitext(osp.basename(p))[0] for p in labels]
            else:
                labels = sorted(glob.glob(osp.join(seq, 'labels_test',
                                                   f'{name}_*_grey_gtFine_labelTrainIds.png')))
                frame_of = [osp.basename(p)[len(name) + 1:len(name) + 7] for p in labels]
            events = osp.join(seq, 'events', 'left')
            for label, frame in zip(labels, frame_of):
                if frame not in position:
                    raise SampleFileError(f'{label}: frame {frame} is not in warp_images/')
                if position[frame] == 0:
                    continue  # no events before the first frame
                item = _item(f'{name}/{frame}', events_path=osp.join(events, 'events.h5'),
                             rectify_path=(osp.join(events, 'rectify_map.h5') if self.rectify
                                           else None),
                             height=480, width=640, t_label=int(stamps[position[frame]]),
                             seg_map_path=label,
                             points_path=label if self.split == 'train' else None)
                item['label_map'] = CITYSCAPES_TO_DSEC11
                data_list.append(item)
        return data_list


@register_in('mmengine', kind='DATASETS')
class DDD17Seg(_EventSegDataset):
    """DDD17 segmentation as the Ev-SegNet / ESS / EV-WSSS releases unpack it, read in
    place (no split folders)::

        <data_root>/dir<N>/
            events.dat.t, events.dat.xyp        memory-mapped events (346x260 sensor)
            index/<index_file>                  one row per frame: time, index of the first
                                                event after the frame, window start
            segmentation_masks/segmentation_<k>.png     labels of frame k - 1 (200x346:
                                                the bottom 60 sensor rows removed)
            weak_1point_per_class/<same name>   the authors' point labels
            <points_dir>/<same name>            point labels (make_point_labels.py)

    Splits as the release assigns them over the recordings in sorted order: train = 0, 2,
    3, 5, 6; valid = 1; test = 4. ``sequences`` names recordings instead.
    """
    METAINFO = dict(classes=DDD17_CLASSES)
    split_folders = False
    SPLITS = dict(train=(0, 2, 3, 5, 6), valid=(1, ), test=(4, ))

    def __init__(self, data_root: str, split: str = 'train',
                 index_file: str = 'index/index_50ms.npy', points_dir: str = 'points_1',
                 **kwargs):
        if split not in self.SPLITS:
            raise ValueError(f'DDD17Seg split {split!r}: use one of {sorted(self.SPLITS)}')
        self.index_file, self.points_dir = index_file, points_dir
        super().__init__(data_root, split, **kwargs)

    def _recordings(self) -> list:
        if self.sequences is not None:
            return self._split_dirs('dir*')
        every = sorted(d for d in glob.glob(osp.join(self.data_root, 'dir*')) if osp.isdir(d))
        positions = self.SPLITS[self.split]
        if len(every) <= max(positions):
            raise SampleFileError(f'{self.data_root}: {len(every)} recordings (dir*); the '
                                  f"release's {self.split} split takes recordings {positions} "
                                  'of the 7 in sorted order')
        return [every[i] for i in positions
                if osp.basename(every[i]) not in self.exclude_sequences]

    def load_data_list(self):
        data_list = []
        for rec in self._recordings():
            index_path = osp.join(rec, self.index_file)
            check_file(index_path)
            index = np.load(index_path)
            if index.ndim != 2 or index.shape[1] < 2:
                raise SampleFileError(f'{index_path}: shape {index.shape}, expected one row '
                                      '(time, first event after it, ...) per frame')
            masks = sorted(glob.glob(osp.join(rec, 'segmentation_masks', '*.png')))
            if not masks:
                raise SampleFileError(f'{rec}/segmentation_masks: no label PNGs (unzip '
                                      'segmentation_masks.zip there)')
            for mask in masks:
                stem = osp.splitext(osp.basename(mask))[0]
                frame = int(stem.rsplit('_', 1)[-1]) - 1
                if not 0 <= frame < len(index):
                    raise SampleFileError(f'{mask}: frame {frame + 1}, but {index_path} '
                                          f'holds {len(index)} frames')
                data_list.append(_item(
                    f'{osp.basename(rec)}/{stem}', events_path=rec, height=260, width=346,
                    event_index=int(index[frame, 1]), seg_map_path=mask,
                    points_path=osp.join(rec, self.points_dir, osp.basename(mask))))
        return data_list
