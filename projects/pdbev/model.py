"""PDBEV: multi-camera 3D detection and BEV segmentation from parametric-depth lifting."""
from typing import Dict, List, Optional

import numpy as np
import torch
from mmcv.cnn import ConvModule
from mmdet3d.models.detectors.base import Base3DDetector
from mmdet3d.registry import MODELS
from torch import Tensor, nn

from ..common.registry import register_in
from .heads import LaplacianDepthHead
from .lifting import VoxelGrid, lift
from .losses import depth_targets, laplace_nll


def _fill(cfg: dict, where: str, **values) -> dict:
    """``cfg`` with ``values`` set; a different value already there is a config error."""
    cfg = dict(cfg or {})
    for key, value in values.items():
        if key in cfg and not np.allclose(np.asarray(cfg[key], float), np.asarray(value, float)):
            raise ValueError(f'PDBEV: {where}.{key}={cfg[key]} contradicts the grid / bev_stride '
                             f'({value}); leave it out, it is derived from model.grid')
        cfg[key] = value
    return cfg


def grid_settings(grid: VoxelGrid, bev_stride: int, bev_channels: int, bbox_head: dict,
                  train_cfg, test_cfg):
    """The CenterHead entries that restate the BEV geometry, derived from it."""
    pcr, vs = list(grid.point_cloud_range), list(grid.voxel_size)
    nz, ny, nx = grid.shape
    bbox_head = _fill(bbox_head, 'bbox_head', in_channels=bev_channels)
    bbox_head['bbox_coder'] = _fill(bbox_head.get('bbox_coder'), 'bbox_head.bbox_coder',
                                    pc_range=pcr[:2], voxel_size=vs[:2],
                                    out_size_factor=bev_stride)
    train_cfg = _fill(train_cfg, 'train_cfg', grid_size=[nx, ny, nz], voxel_size=vs,
                      point_cloud_range=pcr, out_size_factor=bev_stride)
    test_cfg = _fill(test_cfg, 'test_cfg', pc_range=pcr[:2], voxel_size=vs[:2],
                     out_size_factor=bev_stride)
    return bbox_head, train_cfg, test_cfg


@register_in('mmdet3d')
class PDBEV(Base3DDetector):
    """Image backbone + neck -> Laplacian depth head (mu, b) and image features -> lifting
    into the voxel grid (``lift``) -> BEV neck -> mmdet3d detection head and BEV
    segmentation head. Loss: det + seg + ``depth_weight`` * NLL(depth | LiDAR).

    ``feature_level``: which neck output is lifted (its stride sets the depth map's).
    ``lift_cfg``: ``lift``'s ``occupancy`` ('release': Laplacian density with the release's
    biased normalisation, or 'mass') and ``align_corners`` (False, as the release).
    ``grid`` and ``bev_stride`` are the only place the BEV geometry is set: the detection
    head's ``in_channels``, box coder, ``train_cfg`` and ``test_cfg`` entries that restate
    it are filled in from them (``grid_settings``), and a config that restates one with a
    different value fails at build time, naming the key.
    """

    def __init__(self, img_backbone: dict, img_neck: dict, bbox_head: dict, grid: dict,
                 feat_channels: int = 64, depth_head=dict(mid_channels=64),
                 feature_level: int = 0, bev_channels: int = 128, num_bev_convs: int = 2,
                 bev_stride: int = 1, seg_head=None, depth_weight: float = 0.1,
                 depth_range=(1.0, 60.0), lift_cfg: Optional[dict] = None,
                 train_cfg=None, test_cfg=None,
                 data_preprocessor=None, init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.img_backbone = MODELS.build(img_backbone)
        self.img_neck = MODELS.build(img_neck)
        neck_channels = img_neck['out_channels']
        self.depth_head = LaplacianDepthHead(neck_channels, **depth_head)
        self.reduce = nn.Conv2d(neck_channels, feat_channels, 1)
        self.grid = VoxelGrid(**grid)
        convs = []
        for i in range(num_bev_convs):
            convs.append(ConvModule(feat_channels if i == 0 else bev_channels, bev_channels, 3,
                                    stride=bev_stride if i == 0 else 1, padding=1,
                                    norm_cfg=dict(type='BN')))
        self.bev_neck = nn.Sequential(*convs)
        bbox_head, train_cfg, test_cfg = grid_settings(self.grid, bev_stride, bev_channels,
                                                       bbox_head, train_cfg, test_cfg)
        bbox_head.update(train_cfg=train_cfg, test_cfg=test_cfg)
        self.bbox_head = MODELS.build(bbox_head)
        self.seg_head = MODELS.build(dict(seg_head, in_channels=bev_channels)) \
            if seg_head else None
        self.feature_level, self.depth_weight = feature_level, depth_weight
        self.depth_range = tuple(depth_range)
        self.lift_cfg = {**dict(occupancy='release', align_corners=False), **(lift_cfg or {})}

    # --- shared forward -------------------------------------------------------------------
    def extract_feat(self, batch_inputs_dict: dict, batch_data_samples=None) -> dict:
        imgs = batch_inputs_dict['imgs']  # (B, N, 3, H, W)
        b, n = imgs.shape[:2]
        x = self.img_neck(self.img_backbone(imgs.flatten(0, 1)))[self.feature_level]
        mu, scale = self.depth_head(x)
        feats = self.reduce(x)
        canvas = tuple(imgs.shape[-2:])  # the padded batch image the maps cover
        bevs, occs = [], []
        for i, sample in enumerate(batch_data_samples):
            l2i = feats.new_tensor(np.asarray(sample.metainfo['lidar2img']))
            bev, occ, _ = lift(feats.view(b, n, *feats.shape[1:])[i],
                               mu.view(b, n, *mu.shape[1:])[i],
                               scale.view(b, n, *scale.shape[1:])[i], l2i,
                               sample.metainfo['img_shape'], self.grid, canvas_shape=canvas,
                               **self.lift_cfg)
            bevs.append(bev)
            occs.append(occ)
        return dict(bev=self.bev_neck(torch.stack(bevs)), occupancy=torch.stack(occs),
                    mu=mu.view(b, n, *mu.shape[1:]), scale=scale.view(b, n, *scale.shape[1:]),
                    stride=imgs.shape[-1] // x.shape[-1], canvas=canvas)

    def _depth_loss(self, out: dict, inputs: dict, samples) -> Tensor:
        losses = []
        for i, sample in enumerate(samples):
            l2i = out['mu'].new_tensor(np.asarray(sample.metainfo['lidar2img']))
            target = depth_targets(inputs['points'][i], l2i, out['canvas'], out['stride'],
                                   self.depth_range)
            h, w = out['mu'].shape[-2:]
            losses.append(laplace_nll(out['mu'][i], out['scale'][i], target[:, :h, :w]))
        return self.depth_weight * torch.stack(losses).mean()

    # --- mmdet3d interface ----------------------------------------------------------------
    def loss(self, batch_inputs_dict: dict, batch_data_samples) -> Dict[str, Tensor]:
        out = self.extract_feat(batch_inputs_dict, batch_data_samples)
        losses = self.bbox_head.loss([out['bev']], batch_data_samples)
        losses['loss_depth'] = self._depth_loss(out, batch_inputs_dict, batch_data_samples)
        if self.seg_head is not None:
            target = torch.stack([s.gt_bev_seg.data for s in batch_data_samples])
            logits = self.seg_head(out['bev'], target.shape[-2:])
            losses.update(self.seg_head.loss(logits, target))
        return losses

    def predict(self, batch_inputs_dict: dict, batch_data_samples) -> List:
        out = self.extract_feat(batch_inputs_dict, batch_data_samples)
        results = self.bbox_head.predict([out['bev']], batch_data_samples)
        samples = self.add_pred_to_datasample(batch_data_samples, results)
        seg = None
        if self.seg_head is not None:
            zn, yn, xn = self.grid.shape
            seg = self.seg_head(out['bev'], (yn, xn)).sigmoid()
        for i, sample in enumerate(samples):
            sample.set_metainfo(dict(canvas_shape=out['canvas']))
            sample.set_field(out['occupancy'][i], 'pred_occupancy', field_type='data')
            sample.set_field(out['mu'][i], 'pred_depth_mu', field_type='data')
            sample.set_field(out['scale'][i], 'pred_depth_b', field_type='data')
            if seg is not None:
                sample.set_field(seg[i], 'pred_bev_seg', field_type='data')
        return samples

    def _forward(self, batch_inputs_dict: dict, batch_data_samples=None):
        out = self.extract_feat(batch_inputs_dict, batch_data_samples)
        return self.bbox_head.forward([out['bev']])
