"""FAC (Liu et al., CVPR 2023): foreground-aware feature contrast between two scene views."""
from typing import Dict, List, Sequence

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmengine.registry import MODELS
from torch import Tensor, nn

from ..common.models.voxelize import collate_sparse, voxelize
from ..common.registry import register_in
from .correlation import SegmentCorrelation
from .losses import foreground_background_contrast, foreground_point_contrast, segment_pool


@register_in('mmpretrain', 'mmdet3d')
class FAC(BaseModel):
    """Sparse U-Net encoder + point projector, L = L_fg + lambda * L_fb.

    Args:
        backbone: config of a sparse U-Net taking ``in_channels`` voxel features.
        voxel_size: metres per voxel (0.02 indoor, 0.05 outdoor).
        feat_dims: input point columns used as voxel features (xyz included).
        proj_channels: projector width (linear-BN-ReLU-linear, unverified reading).
        temperature: tau of both InfoNCE terms (0.4 indoor, 0.1 outdoor; unverified).
        num_pairs: matched foreground pairs sampled per scene for L_fg (4096 indoor).
        fb_weight: lambda (1, unverified).
        use_correlation: segment cross-view attention before L_fb (ablation flag).
    """

    def __init__(self, backbone: dict, voxel_size: Sequence[float] = (0.05, 0.05, 0.05),
                 feat_dims: Sequence[int] = (0, 1, 2), proj_channels: int = 128,
                 temperature: float = 0.4, num_pairs: int = 4096, fb_weight: float = 1.0,
                 use_correlation: bool = True, data_preprocessor=None, init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        width = self.backbone.out_channels
        self.projector = nn.Sequential(nn.Linear(width, proj_channels),
                                       nn.BatchNorm1d(proj_channels), nn.ReLU(inplace=True),
                                       nn.Linear(proj_channels, proj_channels))
        self.correlation = SegmentCorrelation(proj_channels, enabled=use_correlation)
        self.voxel_size = tuple(voxel_size)
        self.feat_dims = list(feat_dims)
        self.temperature = temperature
        self.num_pairs = num_pairs
        self.fb_weight = fb_weight

    def point_features(self, clouds: List[Tensor]) -> List[Tensor]:
        """Per-point normalised projections of each cloud (all clouds in one batch)."""
        voxels = [voxelize(c[:, :3], c[:, self.feat_dims], self.voxel_size) for c in clouds]
        tensor, point2voxel = collate_sparse(voxels)
        z = F.normalize(self.projector(self.backbone(tensor).features[point2voxel]), dim=1)
        return list(z.split([len(c) for c in clouds]))

    def scene_losses(self, z1, z2, seg1, seg2, matches, is_fg):
        pair_seg = seg1[matches[:, 0]]
        pair_is_fg = torch.zeros_like(pair_seg, dtype=torch.bool)
        pair_is_fg[pair_seg >= 0] = is_fg[pair_seg[pair_seg >= 0]]
        fg_pairs = matches[pair_is_fg]
        if len(fg_pairs) > self.num_pairs:
            fg_pairs = fg_pairs[torch.randperm(len(fg_pairs), device=z1.device)[:self.num_pairs]]
        loss_fg = (foreground_point_contrast(z1[fg_pairs[:, 0]], z2[fg_pairs[:, 1]],
                                             seg1[fg_pairs[:, 0]], self.temperature)
                   if len(fg_pairs) > 1 else z1.sum() * 0)
        num_seg = len(is_fg)
        in1, in2 = seg1 >= 0, seg2 >= 0
        present = (torch.bincount(seg1[in1], minlength=num_seg) > 0) & \
                  (torch.bincount(seg2[in2], minlength=num_seg) > 0)
        if present.sum() < 2 or not (present & is_fg).any():
            return loss_fg, z1.sum() * 0
        f1 = segment_pool(z1[in1], seg1[in1], num_seg)[present]
        f2 = segment_pool(z2[in2], seg2[in2], num_seg)[present]
        g1, g2 = self.correlation(f1, f2)
        loss_fb = foreground_background_contrast(F.normalize(g1, dim=1), F.normalize(g2, dim=1),
                                                 is_fg[present], self.temperature)
        return loss_fg, loss_fb

    def forward(self, inputs, data_samples=None, mode: str = 'loss'):
        if mode != 'loss':
            raise NotImplementedError('FAC is a pretraining model: only mode="loss"')
        return self.loss(inputs)

    def loss(self, inputs: list) -> Dict[str, Tensor]:
        """``inputs``: one ``TwoViewScene`` per scene (see transforms.PackTwoPointViews)."""
        device = next(self.parameters()).device
        scenes = [scene.to(device) for scene in inputs]
        views = self.point_features([v for scene in scenes for v in scene.points])
        fg, fb = [], []
        for k, scene in enumerate(scenes):
            l_fg, l_fb = self.scene_losses(views[2 * k], views[2 * k + 1], *scene.segments,
                                           scene.matches, scene.is_foreground)
            fg.append(l_fg)
            fb.append(l_fb)
        return dict(loss_fg=torch.stack(fg).mean(),
                    loss_fb=self.fb_weight * torch.stack(fb).mean())
