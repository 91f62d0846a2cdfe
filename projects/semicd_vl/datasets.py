"""Bi-temporal change-detection datasets for mmseg: the pair dataset (LEVIR-CD / WHU-CD
layouts with UniMatch split lists) and the labeled + unlabeled wrapper of semi-supervised
training."""
import os.path as osp

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.registry import DATASETS
from mmseg.datasets import BaseCDDataset

from ..common.registry import register_in

PSEUDO_KEYS = ('vl_change', 'vl_seg_a', 'vl_seg_b')


def read_split_ids(path: str) -> list:
    """The pair ids of a split list: SemiCD's lists hold ids, UniMatch's file names
    (``train_1_1.png``); both give ``train_1_1``."""
    from ..common.errors import check_file
    check_file(path)
    with open(path) as f:
        return [osp.splitext(line.strip())[0] if line.strip().endswith('.png')
                else line.strip() for line in f if line.strip()]


@register_in('mmengine', kind='DATASETS')
class BitemporalChangeDataset(BaseCDDataset):
    """A / B / label folders (LEVIR-CD, WHU-CD) and an optional id list (``ann_file``, one
    id per line: the label-ratio splits). ``change_value``: the label value of 'changed'
    in the ground truth (255 in the released LEVIR-CD / WHU-CD PNGs, which then have no
    ignore value; 1 for {0, 1, 255 = ignore} maps). ``pseudo_prefix`` maps each of
    ``vl_change``, ``vl_seg_a``, ``vl_seg_b`` to the folder of its pseudo labels
    ({0, 1, 255}, written by ``tools/data/make_change_pseudo_labels.py``)."""
    METAINFO = dict(classes=('unchanged', 'changed'), palette=[[0, 0, 0], [255, 255, 255]])

    def __init__(self, data_prefix=dict(img_path='A', img_path2='B', seg_map_path='label'),
                 change_value: int = 255, pseudo_prefix=None, **kwargs):
        self.change_value = change_value
        self.pseudo_prefix = dict(pseudo_prefix or {})
        unknown = set(self.pseudo_prefix) - set(PSEUDO_KEYS)
        if unknown:
            raise ValueError(f'pseudo_prefix keys {sorted(unknown)} unknown '
                             f'(use {PSEUDO_KEYS})')
        super().__init__(data_prefix=data_prefix, img_suffix='.png', img_suffix2='.png',
                         seg_map_suffix='.png', **kwargs)

    def load_data_list(self):
        if self.ann_file and not osp.isfile(self.ann_file):
            raise FileNotFoundError(f'{self.ann_file}: split file not found')
        data_list = super().load_data_list()
        if not data_list:
            raise FileNotFoundError(f'{self.data_prefix["img_path"]}: no images')
        for info in data_list:
            name = osp.splitext(osp.basename(info['img_path']))[0]
            info['change_value'] = self.change_value
            for key, folder in self.pseudo_prefix.items():
                info[f'{key}_path'] = osp.join(self.data_root or '', folder, f'{name}.png')
        return data_list


@register_in('mmengine', kind='DATASETS')
class SemiSupervisedPairs(BaseDataset):
    """One item per unlabeled pair: ``dict(labeled=..., unlabeled=..., mix=...)``, the
    labeled pair and the CutMix partner drawn at random (UniMatch's separate loaders; the
    release reuses the unlabeled order for the partner). ``len`` = unlabeled pairs."""

    def __init__(self, labeled: dict, unlabeled: dict, **kwargs):
        self.labeled, self.unlabeled = DATASETS.build(labeled), DATASETS.build(unlabeled)
        super().__init__(lazy_init=True, serialize_data=False, **kwargs)
        self._metainfo = self.labeled.metainfo

    def full_init(self):
        self._fully_initialized = True

    def __len__(self) -> int:
        return len(self.unlabeled)

    def __getitem__(self, index: int) -> dict:
        return dict(labeled=self.labeled[np.random.randint(len(self.labeled))],
                    unlabeled=self.unlabeled[index],
                    mix=self.unlabeled[np.random.randint(len(self.unlabeled))])
