"""The generated labelled 3D scenes of tools/data/make_samples.py (ground, box, cylinder)."""
from mmdet3d.datasets import Seg3DDataset

from ..registry import register_in


@register_in('mmengine', kind='DATASETS')
class SyntheticScenesDataset(Seg3DDataset):
    """mmdet3d ``Seg3DDataset`` over ``data/samples/scenes`` (generated, not real, scenes)."""

    METAINFO = dict(classes=('ground', 'box', 'cylinder'),
                    palette=[[120, 120, 120], [220, 60, 40], [40, 120, 220]],
                    seg_valid_class_ids=(0, 1, 2), seg_all_class_ids=(0, 1, 2))
