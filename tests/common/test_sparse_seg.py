"""mmdet3d's MinkUNet segmentor with the suite's SpUNet and CPU voxelisation."""
import torch
from mmdet3d.registry import MODELS
from mmdet3d.structures import Det3DDataSample, PointData
from mmengine.registry import DefaultScope

import projects.common.models  # noqa: F401


def build_segmentor(num_classes=3):
    cfg = dict(
        type='MinkUNet',
        data_preprocessor=dict(type='SparseSegDataPreprocessor', voxel=True,
                               voxel_type='minkunet', batch_first=True,
                               voxel_layer=dict(max_num_points=-1, voxel_size=[0.1, 0.1, 0.1],
                                                point_cloud_range=[-10, -10, -10, 10, 10, 10],
                                                max_voxels=(-1, -1))),
        backbone=dict(type='SpUNet', in_channels=4, base_channels=8, channels=(8, 16, 16, 8),
                      layers=(1, 1, 1, 1)),
        decode_head=dict(type='MinkUNetHead', channels=8, num_classes=num_classes,
                         dropout_ratio=0, loss_decode=dict(type='mmdet.CrossEntropyLoss',
                                                           avg_non_ignore=True)),
        train_cfg=dict(), test_cfg=dict())
    with DefaultScope.overwrite_default_scope('mmdet3d'):
        return MODELS.build(cfg)


def batch(n_points=(400, 250)):
    g = torch.Generator().manual_seed(0)
    points, samples = [], []
    for n in n_points:
        pts = torch.cat([torch.rand(n, 3, generator=g) * 2, torch.ones(n, 1)], 1)
        sample = Det3DDataSample()
        sample.gt_pts_seg = PointData(pts_semantic_mask=(pts[:, 0] > 1).long())
        points.append(pts)
        samples.append(sample)
    return dict(inputs=dict(points=points), data_samples=samples)


def test_voxelisation_maps_every_point_to_its_voxel():
    model = build_segmentor()
    data = model.data_preprocessor(batch(), training=True)
    voxels, coors = data['inputs']['voxels']['voxels'], data['inputs']['voxels']['coors']
    assert coors.shape[1] == 4 and len(voxels) == len(coors)
    sample = data['data_samples'][0]
    pts = data['inputs']['points'][0]
    # Every point lies in the voxel its map names (same rounded grid cell).
    grid = torch.round(pts[:, :3] / 0.1).long()
    grid -= grid.min(0).values
    own = coors[coors[:, 0] == 0]  # the first scene's voxels
    assert torch.equal(own[sample.point2voxel_map, 1:].long(), grid)
    assert len(sample.gt_pts_seg.voxel_semantic_mask) == len(own)


def test_minkunet_loss_and_per_point_prediction_on_cpu():
    model = build_segmentor()
    data = model.data_preprocessor(batch(), training=True)
    losses = model.loss(data['inputs'], data['data_samples'])
    assert torch.isfinite(losses['loss_sem_seg'])
    losses['loss_sem_seg'].backward()
    model.eval()
    data = model.data_preprocessor(batch(), training=False)
    results = model.predict(data['inputs'], data['data_samples'])
    assert [len(r.pred_pts_seg.pts_semantic_mask) for r in results] == [400, 250]
