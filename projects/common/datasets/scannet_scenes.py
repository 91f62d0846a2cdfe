"""ScanNet semantic segmentation over whole scenes, each once an epoch."""
from mmdet3d.datasets import ScanNetSegDataset

from ..registry import register_in


@register_in('mmengine', kind='DATASETS')
class ScanNetWholeSceneSegDataset(ScanNetSegDataset):
    """mmdet3d's ``ScanNetSegDataset`` without the re-sampled scene list it demands for
    training. That list (``train_resampled_scene_idxs.npy``) repeats large scenes for the
    PointNet++ patch protocol and indexes the full 1201-scene info file, so it breaks on
    the data-efficient subsets; whole-scene fine-tuning visits each scene once an epoch."""

    def get_scene_idxs(self, scene_idxs):
        if scene_idxs is None:
            scene_idxs = list(range(len(self)))
        return super().get_scene_idxs(scene_idxs)
