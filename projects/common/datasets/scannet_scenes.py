"""ScanNet semantic segmentation over whole scenes, each once an epoch."""
import os.path as osp
from typing import Optional

from mmdet3d.datasets import ScanNetSegDataset

from ..errors import SampleFileError, check_file
from ..registry import register_in


def read_scene_list(path: str) -> list:
    """Scene names, one a line (the data-efficient benchmark's ``tasks/scenes/<k>.txt``)."""
    check_file(path)
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


@register_in('mmengine', kind='DATASETS')
class ScanNetWholeSceneSegDataset(ScanNetSegDataset):
    """mmdet3d's ``ScanNetSegDataset`` without the re-sampled scene list it demands for
    training. That list (``train_resampled_scene_idxs.npy``) repeats large scenes for the
    PointNet++ patch protocol and indexes the full 1201-scene info file, so it breaks on
    the data-efficient subsets; whole-scene fine-tuning visits each scene once an epoch.

    Args:
        scene_list: keep only the scenes this file names (one a line), e.g. the official
            limited-scene lists ``tasks/scenes/{1,5,10,20}.txt`` (relative to
            ``data_root``); a listed scene missing from ``ann_file`` is an error.
    """

    def __init__(self, *args, scene_list: Optional[str] = None, **kwargs):
        self.scene_list = scene_list
        super().__init__(*args, **kwargs)

    def load_data_list(self):
        data_list = super().load_data_list()
        if not self.scene_list:
            return data_list
        path = self.scene_list
        if not osp.isabs(path) and self.data_root:
            path = osp.join(self.data_root, path)
        wanted = read_scene_list(path)
        by_scene = {osp.splitext(osp.basename(d['lidar_points']['lidar_path']))[0]: d
                    for d in data_list}
        missing = [s for s in wanted if s not in by_scene]
        if missing:
            more = f' (and {len(missing) - 1} more)' if len(missing) > 1 else ''
            raise SampleFileError(f'{path}: scene {missing[0]}{more} is not in {self.ann_file}')
        return [by_scene[s] for s in wanted]

    def get_scene_idxs(self, scene_idxs):
        if scene_idxs is None:
            scene_idxs = list(range(len(self)))
        return super().get_scene_idxs(scene_idxs)
