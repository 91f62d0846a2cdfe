"""A folder of point-cloud files (.bin, .npy, .ply) as an unlabelled pretraining dataset."""
import glob
import os.path as osp

from mmengine.dataset import BaseDataset

from ..common.registry import register_in

POINT_SUFFIXES = ('.bin', '.npy', '.ply')


@register_in('mmengine', kind='DATASETS')
class PointCloudFolder(BaseDataset):
    """Every file under ``data_root`` (recursively) ending in one of ``suffixes`` is a scene."""

    def __init__(self, *args, suffixes=POINT_SUFFIXES, **kwargs):
        self.suffixes = tuple(suffixes)
        super().__init__(*args, **kwargs)

    def load_data_list(self):
        files = sorted(f for f in glob.glob(osp.join(self.data_root, '**', '*'), recursive=True)
                       if f.lower().endswith(self.suffixes))
        if not files:
            raise FileNotFoundError(f'{self.data_root}: no point-cloud files '
                                    f'({", ".join(self.suffixes)}) found')
        return [dict(lidar_path=f) for f in files]
