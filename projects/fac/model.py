"""FAC (Liu et al., CVPR 2023) as an mmpretrain self-supervised algorithm."""
from typing import Dict, List, Sequence

import torch.nn.functional as F
from mmpretrain.models.selfsup.base import BaseSelfSupervisor
from mmpretrain.registry import MODELS
from torch import Tensor

from ..common.checkpoint import rename_legacy_keys
from ..common.models.voxelize import collate_sparse, voxelize
from ..common.registry import register_in

# State-dict names before the projector became a neck and the losses a head.
_LEGACY_KEYS = (('projector.', 'neck.mlp.'), ('correlation.', 'head.correlation.'))


@register_in('mmpretrain')
class FAC(BaseSelfSupervisor):
    """Sparse U-Net backbone, point projector neck, ``FACHead`` (L = L_fg + lambda L_fb).

    Args:
        backbone: config of a sparse U-Net; ``in_channels`` is ``len(feat_dims)`` (set here;
            a different value in the config is an error).
        neck: the projector (``PointProjectorNeck``); ``in_channels`` defaults to the
            backbone's ``out_channels``.
        head: ``FACHead``; ``channels`` defaults to the neck's ``out_channels``.
        voxel_size: metres per voxel (0.02 indoor, 0.05 outdoor).
        feat_dims: input point columns used as voxel features (xyz included).
    """

    def __init__(self, backbone: dict, neck: dict, head: dict,
                 voxel_size: Sequence[float] = (0.05, 0.05, 0.05),
                 feat_dims: Sequence[int] = (0, 1, 2), data_preprocessor=None, init_cfg=None):
        if backbone.get('in_channels', len(feat_dims)) != len(feat_dims):
            raise ValueError(f"FAC: backbone in_channels={backbone['in_channels']} but "
                             f'feat_dims={tuple(feat_dims)} gives {len(feat_dims)} voxel features')
        super().__init__(backbone=dict(backbone, in_channels=len(feat_dims)),
                         data_preprocessor=data_preprocessor or dict(type='BaseDataPreprocessor'),
                         init_cfg=init_cfg)
        self.neck = MODELS.build(dict(dict(in_channels=self.backbone.out_channels), **neck))
        self.head = MODELS.build(dict(dict(channels=self.neck.out_channels), **head))
        self.voxel_size = tuple(voxel_size)
        self.feat_dims = list(feat_dims)
        self._register_load_state_dict_pre_hook(rename_legacy_keys(_LEGACY_KEYS))

    def extract_feat(self, clouds: List[Tensor]) -> List[Tensor]:
        """Per-point normalised projections of each cloud (all clouds in one sparse batch)."""
        voxels = [voxelize(c[:, :3], c[:, self.feat_dims], self.voxel_size) for c in clouds]
        tensor, point2voxel = collate_sparse(voxels)
        z = F.normalize(self.neck(self.backbone(tensor).features[point2voxel]), dim=1)
        return list(z.split([len(c) for c in clouds]))

    def loss(self, inputs: list, data_samples=None, **kwargs) -> Dict[str, Tensor]:
        """``inputs``: one ``TwoViewScene`` per scene (see transforms.PackTwoPointViews)."""
        device = next(self.parameters()).device
        scenes = [scene.to(device) for scene in inputs]
        views = self.extract_feat([v for scene in scenes for v in scene.points])
        return self.head.loss(views, scenes)
