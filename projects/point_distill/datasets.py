"""Object point clouds: the ModelNet40 (resampled) folder layout, ShapeNet-55 (Point-BERT)."""
import json
import os.path as osp
from typing import Optional

from mmpretrain.datasets import BaseDataset

from ..common.errors import SampleFileError
from ..common.registry import register_in


def _lines(path: str) -> list:
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: file not found')
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def read_episode(path: str) -> dict:
    """A few-shot episode (``tools/data/modelnet_fewshot.py``): ``classes`` (N names, the
    labels 0..N-1 in order), ``train`` (N x K support names) and ``test`` (query names)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: file not found')
    with open(path) as f:
        episode = json.load(f)
    if not isinstance(episode, dict) or not {'classes', 'train', 'test'} <= set(episode):
        raise SampleFileError(f'{path}: expected a JSON object with "classes", "train" and '
                              '"test" (tools/data/modelnet_fewshot.py writes them)')
    return episode


@register_in('mmengine', kind='DATASETS')
class PointObjectFolder(BaseDataset):
    """``data_root/<class>/<name><suffix>`` with ``<prefix>_shape_names.txt`` (one class a
    line) and the split ``<prefix>_<split>.txt`` (one name a line, ``<class>_<id>``).

    ModelNet40: ``prefix='modelnet40'``, ``suffix='.txt'``; the bundled generated objects:
    ``prefix='objects'``, ``suffix='.npy'``. ``episode`` (a JSON file relative to
    ``data_root``) restricts the split to a few-shot episode's objects, labelled by the
    episode's class order.
    """

    def __init__(self, data_root: str, split: str = 'train', prefix: str = 'modelnet40',
                 suffix: str = '.txt', episode: Optional[str] = None, **kwargs):
        self.suffix = suffix
        if episode:
            path = episode if osp.isabs(episode) else osp.join(data_root, episode)
            self.episode = read_episode(path)
            classes = self.episode['classes']
            ann_file = path
        else:
            self.episode = None
            classes = _lines(osp.join(data_root, f'{prefix}_shape_names.txt'))
            ann_file = f'{prefix}_{split}.txt'
        self.split = split
        super().__init__(ann_file=ann_file, data_root=data_root,
                         metainfo=dict(classes=classes), **kwargs)

    def load_data_list(self):
        index = {c: i for i, c in enumerate(self.metainfo['classes'])}
        names = self.episode[self.split] if self.episode else _lines(self.ann_file)
        data_list = []
        for name in names:
            cls = name.rsplit('_', 1)[0]
            if cls not in index:
                raise SampleFileError(f'{self.ann_file}: {name!r} names no class of the '
                                      f'{"episode" if self.episode else "shape-names file"}')
            path = osp.join(self.data_root, cls, name + self.suffix)
            if not osp.isfile(path):
                raise SampleFileError(f'{self.ann_file}: {name!r} listed but {path} is missing')
            data_list.append(dict(pts_path=path, gt_label=index[cls]))
        return data_list


@register_in('mmengine', kind='DATASETS')
class ShapeNet55Points(BaseDataset):
    """ShapeNet-55 as Point-BERT / Point-MAE ship it, for pretraining (labels unused)::

        <data_root>/shapenet_pc/<synset>-<model id>.npy     (8192, 3) points
        <data_root>/ShapeNet-55/{train,test}.txt            one file name a line

    ``gt_label`` is the index of the synset among those of the split (for inspection)."""

    def __init__(self, data_root: str, split: str = 'train', **kwargs):
        super().__init__(ann_file=osp.join('ShapeNet-55', f'{split}.txt'), data_root=data_root,
                         **kwargs)

    def load_data_list(self):
        names = _lines(self.ann_file)
        synsets = sorted({name.split('-', 1)[0] for name in names})
        data_list = []
        for name in names:
            path = osp.join(self.data_root, 'shapenet_pc', name)
            if not osp.isfile(path):
                raise SampleFileError(f'{self.ann_file}: {name!r} listed but {path} is missing')
            data_list.append(dict(pts_path=path, gt_label=synsets.index(name.split('-', 1)[0])))
        return data_list
