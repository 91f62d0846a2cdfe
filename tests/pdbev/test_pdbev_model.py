"""PDBEV: sample checks, metric and visibility by hand, and the tools end to end."""
import json
import math
import os.path as osp

import numpy as np
import pytest
import torch

from densepre_test_helpers import ROOT, run_tool

from projects.common.cameras import intrinsics, lidar2cam_from_pose, lidar2img
from projects.common.errors import SampleFileError
from projects.pdbev import CheckBEVSample, ResizeCropMultiView, box_visibility
from projects.pdbev.lifting import VoxelGrid
from projects.pdbev.metrics import average_precision, match


def _sample(**kw):
    k = intrinsics(100, 100, 50, 30).tolist()
    ext = lidar2cam_from_pose(0.0, (0, 0, 0)).tolist()
    res = dict(token='scene_x', images={'CAM_FRONT': {}, 'CAM_BACK': {}}, cam2img=[k, k],
               lidar2cam=[ext, ext], img=[np.zeros((61, 101, 3))] * 2,
               points=torch.ones(10, 5))
    res.update(kw)
    return res


def test_sample_checks_name_the_sample():
    out = CheckBEVSample()(_sample())
    assert np.allclose(out['lidar2img'][0], lidar2img(np.array(out['cam2img'][0]),
                                                      np.array(out['lidar2cam'][0])))
    bad = np.eye(4)
    bad[0, 0] = np.nan
    singular = np.zeros((3, 3))
    cases = [(dict(cam2img=None), 'scene_x: camera calibration missing'),
             (dict(lidar2cam=[bad.tolist()] * 2), 'CAM_FRONT calibration is not finite or '
                                                  'singular'),
             (dict(cam2img=[singular.tolist()] * 2), 'not finite or singular'),
             (dict(img=[np.zeros((61, 101, 3)), np.zeros((60, 101, 3))]),
              'camera images of different sizes'),
             (dict(points=torch.zeros(0, 5)), 'scene_x: empty LiDAR sweep'),
             (dict(points=torch.full((3, 5), float('nan'))), 'NaN or Inf in the LiDAR')]
    for change, message in cases:
        with pytest.raises(SampleFileError, match=message):
            CheckBEVSample()(_sample(**change))
    assert 'lidar2img' in CheckBEVSample(allow_empty_points=True)(
        _sample(points=torch.zeros(0, 5)))


def test_resize_crop_keeps_points_on_their_pixels():
    k = intrinsics(100, 100, 50, 30)
    ext = lidar2cam_from_pose(0.0, (0, 0, 0))
    res = ResizeCropMultiView(scale=0.5, crop=(20, 40))(
        dict(img=[np.zeros((61, 101, 3), np.uint8)], cam2img=[k]))
    assert res['img'][0].shape[:2] == (20, 40)
    point = np.array([10.0, 1.0, 0.5, 1.0])
    u, v, d = (lidar2img(k, ext) @ point)[:3]
    u2, v2, d2 = (lidar2img(res['cam2img'][0], ext) @ point)[:3]
    top, left = round(61 * 0.5) - 20, (round(101 * 0.5) - 40) // 2
    assert (u2 / d2, v2 / d2) == pytest.approx((u / d * 0.5 - left, v / d * 0.5 - top))


def test_average_precision_and_matching_by_hand():
    # 2 GT; predictions: TP (0.9), FP (0.8), TP (0.7) -> precision 1, .5, .67 at recall .5, .5, 1
    assert average_precision([0.9, 0.8, 0.7], [True, False, True], 2) == pytest.approx(
        np.mean(np.clip(np.interp(np.linspace(0, 1, 101), [0.5, 0.5, 1.0], [1, 0.5, 2 / 3])
                        [11:] - 0.1, 0, None)) / 0.9)
    preds = [dict(centers=np.array([[0.0, 0.3], [5.0, 5.0]]), scores=np.array([0.9, 0.8]),
                  labels=np.array([0, 0]))]
    gts = [dict(centers=np.array([[0.0, 0.0], [5.0, 6.5]]), labels=np.array([0, 0]))]
    keep = [np.array([True, True])]
    assert match(preds, gts, 0, 1.0, keep) == ([0.9, 0.8], [True, False], 2)
    assert match(preds, gts, 0, 2.0, keep) == ([0.9, 0.8], [True, True], 2)
    # ignoring the second GT (another visibility bin) drops the prediction matched to it
    assert match(preds, gts, 0, 2.0, [np.array([True, False])]) == ([0.9], [True], 1)


def test_visibility_follows_the_predicted_depth():
    """A box 10 m ahead of a camera: visible when the predicted depth is ~10 m (nothing in
    front), invisible when the depth says a surface sits at 5 m."""
    grid = VoxelGrid((-12.0, -12.0, -2.0, 12.0, 12.0, 2.0), (1.0, 1.0, 1.0))
    cam = lidar2img(intrinsics(100, 100, 50, 30), lidar2cam_from_pose(0.0, (0, 0, 0)))[None]
    box = np.array([10.5, 0.0, 0.0, 2.0, 2.0, 2.0, 0.0])
    b = np.full((1, 16, 26), 0.5)
    assert box_visibility(box, np.full((1, 16, 26), 9.6), b, cam, (61, 101), grid) == 1.0
    assert box_visibility(box, np.full((1, 16, 26), 5.0), b, cam, (61, 101), grid) == 0.0
    # a camera looking the other way sees nothing of it
    back = lidar2img(intrinsics(100, 100, 50, 30), lidar2cam_from_pose(math.pi, (0, 0, 0)))[None]
    assert box_visibility(box, np.full((1, 16, 26), 9.6), b, back, (61, 101), grid) == 0.0


def test_train_test_and_pictures_through_the_tools(samples, tmp_path):
    cfg = 'configs/pdbev/pdbev_r18-fpn_1xb2-24e_bev-demo.py'
    work = tmp_path / 'work'
    res = run_tool('tools/train.py', cfg, '--work-dir', str(work), '--cfg-options',
                   'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
                   'train_dataloader.dataset.indices=4', 'default_hooks.logger.interval=1')
    # (val / test use all 8 scenes: nuScenes' evaluation wants every sample of its split)
    assert res.returncode == 0, res.stderr[-3000:]
    log = res.stdout + res.stderr
    assert 'loss_depth' in log and 'loss_seg_dice' in log and 'task0.loss_heatmap' in log
    metrics = tmp_path / 'metrics.json'
    res = run_tool('tools/test.py', cfg, str(work / 'epoch_1.pth'), '--work-dir', str(work),
                   '--out', str(metrics))
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(metrics.read_text())
    assert {'mAP', 'AP_car', 'IoU_drivable_area', 'mAP_vis_80-100'} <= set(out)
    nus = 'NuScenes metric/pred_instances_3d_NuScenes/'  # mmdet3d's NuScenesMetric ran too
    assert {nus + 'NDS', nus + 'mAP', nus + 'car_AP_dist_2.0'} <= set(out)
    assert sum(out[k] for k in out if k.startswith('num_gt_vis')) > 0
    res = run_tool('tools/visualize_bev.py', cfg, '--checkpoint', str(work / 'epoch_1.pth'),
                   '--out', str(tmp_path / 'pics'), '--num', '1')
    assert res.returncode == 0, res.stderr[-3000:]
    assert len(list((tmp_path / 'pics').glob('scene_*.png'))) == 1


def test_head_geometry_comes_from_the_grid_once():
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmdet3d.registry import MODELS

    import projects.pdbev  # noqa: F401
    cfg = Config.fromfile(osp.join(ROOT, 'configs/pdbev/pdbev_r18-fpn_1xb2-24e_bev-demo.py'))
    with DefaultScope.overwrite_default_scope('mmdet3d'):
        model = MODELS.build(cfg.model)
    # grid x, y in [-25.6, 25.6] at 0.8 m, z in [-3, 1] at 1 m, BEV stride 1, 64 BEV channels
    coder = model.bbox_head.bbox_coder
    assert list(coder.pc_range) == [-25.6, -25.6] and list(coder.voxel_size) == [0.8, 0.8]
    assert coder.out_size_factor == 1
    assert list(model.bbox_head.train_cfg['grid_size']) == [64, 64, 4]
    assert model.bbox_head.test_cfg['pc_range'] == [-25.6, -25.6]
    assert model.bbox_head.shared_conv.conv.in_channels == 64
    cfg.model.test_cfg.voxel_size = [0.5, 0.5]  # contradicts the grid
    with pytest.raises(ValueError, match=r'test_cfg.voxel_size=\[0.5, 0.5\] contradicts'):
        with DefaultScope.overwrite_default_scope('mmdet3d'):
            MODELS.build(cfg.model)
