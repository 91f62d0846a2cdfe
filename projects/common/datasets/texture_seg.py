"""The bundled composite-texture segmentation set (see tools/data/make_samples.py)."""
from mmseg.datasets import BaseSegDataset

from ..registry import register_in


@register_in('mmengine', kind='DATASETS')
class CompositeTextureDataset(BaseSegDataset):
    """Voronoi composites of four real texture photographs, one class per texture."""

    METAINFO = dict(classes=('brick', 'grass', 'gravel', 'moon'),
                    palette=[[180, 60, 40], [60, 160, 60], [140, 140, 140], [230, 220, 120]])

    def __init__(self, img_suffix='.png', seg_map_suffix='.png', **kwargs):
        super().__init__(img_suffix=img_suffix, seg_map_suffix=seg_map_suffix,
                         reduce_zero_label=False, **kwargs)
