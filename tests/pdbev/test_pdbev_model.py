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
from projects.pdbev import (CheckBEVSample, ResizeCropMultiView, box_visibility,
                            laplacian_visibility, lidar_visibility)
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
             (dict(lidar2cam=[bad.tolist()] * 2),
              r'scene_x: CAM_FRONT lidar2cam \(extrinsics\) has NaN or Inf values'),
             (dict(cam2img=[singular.tolist()] * 2),
              r'scene_x: CAM_FRONT cam2img \(intrinsics\) is singular'),
             (dict(img=[np.zeros((61, 101, 3)), np.zeros((60, 101, 3))]),
              'camera images of different sizes'),
             (dict(points=torch.zeros(0, 5)), 'scene_x: empty LiDAR sweep'),
             (dict(points=torch.full((3, 5), float('nan'))), 'NaN or Inf in the LiDAR')]
    for change, message in cases:
        with pytest.raises(SampleFileError, match=message):
            CheckBEVSample()(_sample(**change))
    assert 'lidar2img' in CheckBEVSample(allow_empty_points=True)(
        _sample(points=torch.zeros(0, 5)))
    # a grid 10-30 m ahead: the front camera sees it, one turned around (CAM_BACK) does not
    grid = dict(point_cloud_range=(10.0, -5.0, -1.0, 30.0, 5.0, 1.0), voxel_size=(1, 1, 1))
    assert 'lidar2img' in CheckBEVSample(grid=grid)(_sample())
    back = lidar2cam_from_pose(math.pi, (0, 0, 0)).tolist()
    ext = lidar2cam_from_pose(0.0, (0, 0, 0)).tolist()
    with pytest.raises(SampleFileError, match='scene_x: CAM_BACK sees none of the BEV grid'):
        CheckBEVSample(grid=grid)(_sample(lidar2cam=[ext, back]))


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
    """nuScenes AP = mean over recalls 0.11..1.00 of max(precision - 0.1, 0) / 0.9, with
    precision interpolated linearly between predictions and 0 past the last recall.
    Two TPs of four GT: precision 1 up to recall 0.5 -> 40 of 90 points at 0.9 -> 4/9.
    An FP then a TP of one GT: precision 0.5 r on [0, 1] -> sum_{i=21}^{100} (i/200 - 0.1)
    = 16.2 over 90 points, / 0.9 -> 0.2."""
    assert average_precision([0.9, 0.8], [True, True], 4) == pytest.approx(4 / 9)
    assert average_precision([0.9, 0.8], [False, True], 1) == pytest.approx(0.2)
    assert average_precision([0.9], [False], 1) == 0.0
    assert np.isnan(average_precision([0.9], [False], 0))  # no GT: undefined, left out
    preds = [dict(centers=np.array([[0.0, 0.3], [5.0, 5.0]]), scores=np.array([0.9, 0.8]),
                  labels=np.array([0, 0]))]
    gts = [dict(centers=np.array([[0.0, 0.0], [5.0, 6.5]]), labels=np.array([0, 0]))]
    keep = [np.array([True, True])]
    assert match(preds, gts, 0, 1.0, keep) == ([0.9, 0.8], [True, False], 2)
    assert match(preds, gts, 0, 2.0, keep) == ([0.9, 0.8], [True, True], 2)
    # ignoring the second GT (another visibility bin) drops the prediction matched to it
    assert match(preds, gts, 0, 2.0, [np.array([True, False])]) == ([0.9], [True], 1)


def test_lidar_visibility_and_box_visibility_by_hand():
    """Cells of 1 m. A ray from (0.5, 0.5) to (3.5, 1.3) has y = 0.5 + 0.8 (x - 0.5) / 3: it
    crosses x = 1 and 2 below y = 1 and y = 1 at x = 2.375, so it passes cells (row, col)
    (0, 0), (0, 1), (0, 2), (1, 2), (1, 3) and no others."""
    grid = VoxelGrid((0.0, 0.0, 0.0, 4.0, 2.0, 1.0), (1.0, 1.0, 1.0))
    seen = lidar_visibility(np.array([[3.5, 1.3, 0.0]]), grid, origin=(0.5, 0.5))
    assert seen.astype(int).tolist() == [[1, 1, 1, 0], [0, 0, 1, 1]]
    # a return outside the grid: the ray is clipped at the grid's edge (x = 4)
    far = lidar_visibility(np.array([[9.5, 0.5]]), grid, origin=(0.5, 0.5))
    assert far.astype(int).tolist() == [[1, 1, 1, 1], [0, 0, 0, 0]]
    # one row of 6 cells; the LiDAR sees cells 0-2 (its return is in cell 2)
    row = VoxelGrid((0.0, 0.0, 0.0, 6.0, 1.0, 1.0), (1.0, 1.0, 1.0))
    seen = lidar_visibility(np.array([[2.5, 0.5]]), row, origin=(0.5, 0.5))
    assert seen.astype(int).tolist() == [[1, 1, 1, 0, 0, 0]]
    box = np.array([2.5, 0.5, 0.0, 1.0, 1.0, 1.0, 0.0])  # cell 2: seen all the way: 1
    assert box_visibility(box, seen, row, (0.5, 0.5)) == 1.0
    box = np.array([4.5, 0.5, 0.0, 1.8, 1.0, 1.0, 0.0])  # cell 4: cell 3 unseen: 0
    assert box_visibility(box, seen, row, (0.5, 0.5)) == 0.0
    box = np.array([3.5, 0.5, 0.0, 2.0, 1.0, 1.0, 0.0])  # centres 3 and 4 (edges count): the
    assert box_visibility(box, seen, row, (0.5, 0.5)) == 1.0  # line to cell 4 enters at 3
    # two rows: the return at (2.5, 1.5) sees row 1 only; a 2 x 2 box at cols 2-3 has its
    # row-1 cells' lines of sight clear (cols 0-1 of row 1 seen), row 0's not
    two = VoxelGrid((0.0, 0.0, 0.0, 6.0, 2.0, 1.0), (1.0, 1.0, 1.0))
    seen = lidar_visibility(np.array([[2.5, 1.5]]), two, origin=(0.5, 1.5))
    box = np.array([3.0, 1.0, 0.0, 1.9, 1.9, 1.0, 0.0])
    assert box_visibility(box, seen, two, (0.5, 1.5)) == 0.5
    # rotated 90 degrees, a 1.8 x 0.8 box covers cells (0, 2) and (1, 2)
    box = np.array([2.5, 1.0, 0.0, 1.8, 0.8, 1.0, math.pi / 2])
    assert box_visibility(box, seen, two, (0.5, 1.5)) == 0.5


def test_hard_and_soft_visibility_from_the_predicted_depth_by_hand():
    """A camera at the origin looking along +x sees the column at x = 10.5 at depth 10.5 in
    all 4 heights. mu = 9.6 < 10.5: hard-occluded; soft occlusion F(10.5) = 1 - exp(-0.9 /
    0.5) / 2, visibility exp(-1.8) / 2 = 0.0826. mu = 12: hard visible, soft visibility
    1 - exp(-1.5 / 0.5) / 2 = 0.9751. The column at x = -10.5 is behind the camera:
    hard-visible (nothing seen occludes it, as in the release), soft visibility 0."""
    grid = VoxelGrid((-12.0, -12.0, -2.0, 12.0, 12.0, 2.0), (1.0, 1.0, 1.0))
    cam = torch.tensor(lidar2img(intrinsics(100, 100, 50, 30),
                                 lidar2cam_from_pose(0.0, (0, 0, 0)))[None], dtype=torch.float32)
    b = torch.full((1, 61, 101), 0.5)
    col, back = (12, 22), (12, 1)  # (row y, col x) of x = 10.5 and x = -10.5 at y = 0.5
    hard, soft = laplacian_visibility(torch.full((1, 61, 101), 9.6), b, cam, (61, 101), grid)
    assert hard[col] == 0 and soft[col] == pytest.approx(math.exp(-1.8) / 2, rel=1e-4)
    assert hard[back] == 1 and soft[back] == 0
    hard, soft = laplacian_visibility(torch.full((1, 61, 101), 12.0), b, cam, (61, 101), grid)
    assert hard[col] == 1 and soft[col] == pytest.approx(1 - math.exp(-3.0) / 2, rel=1e-4)


def test_metric_splits_segmentation_into_visible_and_occluded_cells():
    """2 x 2 map; visible cells: the top row. Prediction {(0,0), (1,0)}, truth {(0,0), (0,1),
    (1,1)}: overall 1 / 4; visible: inter {(0,0)}, union {(0,0), (0,1)} -> 1/2; occluded:
    inter {}, union {(1,0), (1,1)} -> 0."""
    from mmdet3d.structures import LiDARInstance3DBoxes

    from projects.pdbev.metrics import BEVDetSegMetric
    grid = dict(point_cloud_range=(0.0, 0.0, 0.0, 2.0, 2.0, 1.0), voxel_size=(1.0, 1.0, 1.0))
    metric = BEVDetSegMetric(classes=['car'], grid=grid, origin=(0.5, 0.5))
    none = dict(bboxes_3d=LiDARInstance3DBoxes(torch.zeros(0, 7)),
                scores_3d=torch.zeros(0), labels_3d=torch.zeros(0, dtype=torch.long))
    sample = dict(pred_instances_3d=none, gt_instances_3d=none,
                  pred_bev_seg=torch.tensor([[[1.0, 0.0], [1.0, 0.0]]]),
                  gt_bev_seg=dict(data=torch.tensor([[[1, 1], [0, 1]]])),
                  gt_bev_visibility=dict(data=torch.tensor([[[1, 1], [0, 0]]])))
    metric.process({}, [sample])
    out = metric.compute_metrics(metric.results)
    assert out['IoU_drivable_area'] == pytest.approx(25.0)
    assert out['IoU_drivable_area_visible'] == pytest.approx(50.0)
    assert out['IoU_drivable_area_occluded'] == 0.0
    assert out['num_gt_vis_0-40'] == 0


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
    assert {'mAP', 'AP_car', 'IoU_drivable_area', 'mAP_vis_80-100', 'IoU_drivable_area_visible',
            'IoU_drivable_area_occluded'} <= set(out)
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


def test_detection_map_per_visibility_bin_and_seg_iou_by_hand():
    """One class, GT at (0, 0) (visibility 0.9) and (10, 0) (visibility 0.3); predictions
    (0, 0.7) score 0.9 and (10, 0) score 0.8. At 0.5 m the first is an FP; at 1, 2, 4 m
    both are TPs (AP 1).
    all GT, 0.5 m: FP then TP of 2 GT -> precision r on [0, 0.5]: sum_{i=11}^{50}
    (i/100 - 0.1) = 8.2 over 90, / 0.9 = 8.2/81.
    bin 80-100 (GT 1 only), 0.5 m: the FP alone (the TP hit an ignored GT) -> 0; else 1.
    bin 0-40 (GT 2 only), 0.5 m: FP then TP of 1 GT -> 0.2; at 1, 2, 4 m the first
    prediction hits the ignored GT and drops out -> 1.
    BEV seg: intersections 3 + 1, unions 4 + 4 -> 50 %."""
    from projects.pdbev.metrics import BEVDetSegMetric
    metric = BEVDetSegMetric(classes=('car', ), grid=dict())
    entry = dict(pred=dict(centers=np.array([[0.0, 0.7], [10.0, 0.0]]),
                           scores=np.array([0.9, 0.8]), labels=np.array([0, 0])),
                 gt=dict(centers=np.array([[0.0, 0.0], [10.0, 0.0]]), labels=np.array([0, 0]),
                         visibility=np.array([0.9, 0.3])))
    segs = [np.array([[[3], [4]]]), np.array([[[1], [4]]])]  # (regions, inter / union, classes)
    out = metric.compute_metrics([dict(entry, seg=segs[0]),
                                  dict(pred=dict(centers=np.zeros((0, 2)), scores=np.zeros(0),
                                                 labels=np.zeros(0, int)),
                                       gt=dict(centers=np.zeros((0, 2)),
                                               labels=np.zeros(0, int),
                                               visibility=np.zeros(0)), seg=segs[1])])
    assert out['mAP'] == pytest.approx(100 * (8.2 / 81 + 3) / 4)
    assert out['AP_car'] == pytest.approx(out['mAP'])
    assert out['mAP_vis_80-100'] == pytest.approx(75.0)
    assert out['mAP_vis_0-40'] == pytest.approx(100 * (0.2 + 3) / 4)
    assert np.isnan(out['mAP_vis_40-60']) and np.isnan(out['mAP_vis_60-80'])
    assert [out[f'num_gt_vis_{b}'] for b in ('0-40', '40-60', '60-80', '80-100')] == \
        [1, 0, 0, 1]
    assert out['IoU_drivable_area'] == pytest.approx(50.0)


def test_bev_seg_iou_counts_from_probabilities():
    """process(): prediction > 0.5 against target > 0 -> intersection 1, union 3."""
    from mmdet3d.structures import LiDARInstance3DBoxes

    from projects.pdbev.metrics import BEVDetSegMetric
    metric = BEVDetSegMetric(classes=('car', ), grid=dict())
    empty = dict(bboxes_3d=LiDARInstance3DBoxes(torch.zeros(0, 7)), scores_3d=torch.zeros(0),
                 labels_3d=torch.zeros(0, dtype=torch.long))
    sample = dict(pred_instances_3d=empty, gt_instances_3d=empty,
                  pred_depth_mu=torch.ones(1, 2, 2), pred_depth_b=torch.ones(1, 2, 2),
                  lidar2img=np.eye(4)[None], img_shape=(2, 2),
                  pred_bev_seg=torch.tensor([[[0.9, 0.2], [0.6, 0.4]]]),
                  gt_bev_seg=dict(data=torch.tensor([[[1, 1], [0, 0]]])))
    metric.process(None, [sample])
    assert metric.compute_metrics(metric.results)['IoU_drivable_area'] == pytest.approx(100 / 3)


def test_categorical_lift_splats_depth_weighted_features_by_hand():
    """One 1x1 feature map on the optical axis of a camera at the origin looking along +x:
    depth bins 2.5, 7.5 and 12.5 m fall in BEV cells x = 0-5 m, 5-10 m and outside. Features
    (1, 2), depth probabilities (0.3, 0.5, 0.2) -> cells (0.3, 0.5) and (0.6, 1.0); a second,
    identical camera doubles them."""
    from projects.pdbev.lifting import categorical_lift
    grid = VoxelGrid((0.0, -5.0, -5.0, 10.0, 5.0, 5.0), (5.0, 10.0, 10.0))
    cam = lidar2img(intrinsics(100, 100, 0, 0), lidar2cam_from_pose(0.0, (0, 0, 0)))
    feats = torch.tensor([1.0, 2.0]).view(1, 2, 1, 1)
    probs = torch.tensor([0.3, 0.5, 0.2]).view(1, 3, 1, 1)
    bins = torch.tensor([2.5, 7.5, 12.5])
    l2i = torch.as_tensor(cam, dtype=torch.float32)[None]
    bev = categorical_lift(feats, probs, bins, l2i, (1, 1), grid)
    assert bev.shape == (2, 1, 2)
    assert torch.allclose(bev[:, 0], torch.tensor([[0.3, 0.5], [0.6, 1.0]]))
    two = categorical_lift(feats.repeat(2, 1, 1, 1), probs.repeat(2, 1, 1, 1), bins,
                           l2i.repeat(2, 1, 1), (1, 1), grid)
    assert torch.allclose(two, 2 * bev)


def test_bevpool_lift_equals_the_outer_product_splat_values_and_gradients():
    from projects.pdbev.lifting import bevpool_lift, categorical_lift
    grid = VoxelGrid((-10.0, -10.0, -2.0, 10.0, 10.0, 2.0), (1.0, 1.0, 1.0))
    cams = torch.tensor(np.array([lidar2img(intrinsics(50, 50, 50, 30),
                                            lidar2cam_from_pose(yaw, (0.0, 0.0, 0.0)))
                                  for yaw in (0.0, 2.0, 4.0)]), dtype=torch.float32)
    torch.manual_seed(0)
    feats = torch.rand(3, 5, 8, 13, requires_grad=True)
    probs = torch.rand(3, 12, 8, 13).softmax(1).requires_grad_()
    bins = torch.linspace(1.0, 14.0, 12)
    ours = bevpool_lift(feats, probs, bins, cams, (61, 101), grid)
    ref = categorical_lift(feats, probs, bins, cams, (61, 101), grid)
    assert ours.abs().sum() > 0 and torch.allclose(ours, ref, atol=1e-6)
    probe = torch.rand_like(ref)
    for g, r in zip(torch.autograd.grad((ours * probe).sum(), (feats, probs)),
                    torch.autograd.grad((ref * probe).sum(), (feats, probs))):
        assert torch.allclose(g, r, atol=1e-5)


def test_laplacian_depth_head_outputs_by_hand():
    """With zero output weights the head returns its biases through the ReLUs:
    mu = max(mu_bias, 0), b = max(b_bias, 0) + min_scale."""
    from projects.pdbev.heads import LaplacianDepthHead
    for mu_bias, b_bias, expected_mu, expected_b in ((12.0, 2.0, 12.0, 2.1),
                                                      (-3.0, -1.0, 0.0, 0.1)):
        head = LaplacianDepthHead(4, mid_channels=3, min_scale=0.1, mu_init=mu_bias,
                                  b_init=b_bias)
        head.mu.weight.data.zero_()
        head.b.weight.data.zero_()
        mu, b = head(torch.rand(2, 4, 5, 6))
        assert mu.shape == b.shape == (2, 5, 6)
        assert torch.all(mu == expected_mu) and torch.allclose(b, torch.tensor(expected_b))


def test_bev_seg_head_losses_by_hand():
    """Zero logits (p = 0.5) on a 2x2 map with target (1, 0, 1, 1): V-Net Dice
    1 - 2 * 1.5 / ((1 + 1e-3) + (3 + 1e-3)) and BCE log 2; the map is upsampled to ``size``."""
    from projects.pdbev.heads import BEVSegHead
    head = BEVSegHead(in_channels=3, num_classes=1, channels=4)
    head.cls.weight.data.zero_()
    head.cls.bias.data.zero_()
    logits = head(torch.rand(1, 3, 2, 2), size=(4, 4))
    assert logits.shape == (1, 1, 4, 4) and torch.all(logits == 0)
    losses = head.loss(torch.zeros(1, 1, 2, 2), torch.tensor([[[[1, 0], [1, 1]]]]))
    assert losses['loss_seg_dice'].item() == pytest.approx(1 - 3 / 4.002, rel=1e-5)
    assert losses['loss_seg_bce'].item() == pytest.approx(math.log(2), rel=1e-5)
