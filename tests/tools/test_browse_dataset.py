"""browse_dataset draws samples as the pipelines deliver them; label pixels land in their
palette colour where the label is (checked against the dataset item itself)."""
import math
import os.path as osp

import numpy as np
import pytest
from densepre_test_helpers import ROOT, run_tool
from mmengine.config import Config
from mmengine.registry import DATASETS, DefaultScope
from mmengine.utils import import_modules_from_strings
from PIL import Image

from projects.common.browse import BOX_RGB, DRIVABLE_RGB, LABEL_PALETTE

GAP = 4


def browse(tmp_path, config, split, num=1):
    out = tmp_path / 'pics'
    proc = run_tool('tools/browse_dataset.py', config, '--split', split, '--num', str(num),
                    '--out', str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [np.asarray(Image.open(out / f'{split}_{i:03d}.png').convert('RGB'))
            for i in range(num)]


def item(config, split, index=0):
    cfg = Config.fromfile(osp.join(ROOT, config))
    import_modules_from_strings(**cfg.custom_imports)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        return DATASETS.build(cfg[f'{split}_dataloader'].dataset)[index]


def panel(picture, labels_shape, k):
    """Panel ``k`` of a row of equal-size panels, scaled back to the label's pixels."""
    h, w = labels_shape
    f = max(1, math.ceil(192 / h))
    left = k * (w * f + GAP)
    return picture[:h * f:f, left:left + w * f:f]


def assert_label_panel(picture, labels, k):
    shown = panel(picture, labels.shape, k)
    valid = labels != 255
    assert valid.sum() > 100
    assert (shown[valid] == LABEL_PALETTE[labels[valid]]).all()


def test_image_segmentation_labels(samples, tmp_path):
    config = 'configs/pixpro/downstream/fcn_r18-d8_1xb8-300i_textures.py'
    picture, = browse(tmp_path, config, 'val')
    assert_label_panel(picture, item(config, 'val')['data_samples'].gt_sem_seg.data[0].numpy(), 1)


def test_change_pair_labels(samples, tmp_path):
    config = 'configs/semicd_vl/semicd-vl_r18-lighthead_1xb4-40e_change-demo-10pct.py'
    picture, = browse(tmp_path, config, 'test')
    labels = item(config, 'test')['data_samples'].gt_sem_seg.data[0].numpy()
    assert (labels == 1).sum() > 0  # the pair has changes
    assert_label_panel(picture, labels, 2)


def test_event_clicks_and_dense_labels(samples, tmp_path):
    config = 'configs/evwsss/evwsss_e2vid-tiny_1xb4-30e_events-demo.py'
    picture, = browse(tmp_path, config, 'val')
    packed = item(config, 'val')
    sample = packed['data_samples']
    dense, clicks = sample.gt_sem_seg.data[0].numpy(), sample.gt_points.data[0].numpy()
    # forward events + clicks | (reversed events, when the pipeline makes them) | label
    assert_label_panel(picture, dense, len(packed['inputs']))
    events = panel(picture, dense.shape, 0)
    rows, cols = np.nonzero(clicks != 255)
    assert len(rows) >= 1
    assert (events[rows, cols] == LABEL_PALETTE[clicks[rows, cols]]).all()


def test_point_cloud_labels_in_their_colours(samples, tmp_path):
    config = 'configs/fac/downstream/spunet-small_minkunet_1xb4-200i_synthetic-scenes.py'
    picture, = browse(tmp_path, config, 'val')
    labels = np.asarray(item(config, 'val')['data_samples'].gt_pts_seg.pts_semantic_mask)
    for k in np.unique(labels[labels < 3]):  # ground, box, cylinder
        assert (picture == LABEL_PALETTE[k]).all(-1).sum() > 50, k


def test_multi_camera_boxes_and_bev(samples, tmp_path):
    picture, = browse(tmp_path, 'configs/pdbev/pdbev_r18-fpn_1xb2-24e_bev-demo.py', 'val')
    cameras, bev = picture[:140], picture[140:]
    assert (cameras == BOX_RGB).all(-1).sum() > 20  # projected box edges
    assert (bev == DRIVABLE_RGB).all(-1).sum() > 100 and (bev == BOX_RGB).all(-1).sum() > 10


@pytest.mark.parametrize('config,what', [
    ('configs/fac/fac_spunet-small_1xb1-10e_samples-demo.py', 'segment'),
    ('configs/point_distill/pointdistill_pointvit-tiny_1xb32-60e_objects-demo.py', 'crops'),
])
def test_pretraining_views(samples, tmp_path, config, what):
    picture, = browse(tmp_path, config, 'train')
    if what == 'crops':  # crop k in palette colour k
        assert all((picture == LABEL_PALETTE[k]).all(-1).sum() > 20 for k in range(6))
    else:  # background segments grey (0.45), foreground segments saturated
        assert (np.abs(picture.astype(int) - 115) <= 1).all(-1).sum() > 100
        assert (picture.max(-1).astype(int) - picture.min(-1) > 100).sum() > 100


def test_missing_split_and_data_are_one_line_errors(samples, tmp_path):
    proc = run_tool('tools/browse_dataset.py',
                    'configs/pixpro/pixpro_r18_1xb16-20e_samples-demo.py', '--split', 'val',
                    '--out', str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.strip().endswith('no val_dataloader (try another --split)')
    proc = run_tool('tools/browse_dataset.py', 'configs/evwsss/evwsss_e2vid_1xb1-50e_dsec.py',
                    '--out', str(tmp_path))
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
    assert "data_root 'data/dsec' does not exist" in proc.stderr


def test_boxes_and_masks_drawn_where_they_are():
    import torch
    from mmdet.structures import DetDataSample
    from mmdet.structures.mask import BitmapMasks
    from mmengine.structures import InstanceData

    from projects.common.browse import draw_item
    sample = DetDataSample()
    mask = np.zeros((1, 40, 60), np.uint8)
    mask[0, 10:20, 30:50] = 1
    sample.gt_instances = InstanceData(bboxes=torch.tensor([[5.0, 8.0, 25.0, 30.0]]),
                                       labels=torch.tensor([3]), masks=BitmapMasks(mask, 40, 60))
    picture, what = draw_item(dict(inputs=torch.zeros(3, 40, 60, dtype=torch.uint8),
                                   data_samples=sample))
    assert what == 'image | boxes + masks'
    boxed = panel(picture, (40, 60), 1)
    assert (boxed[8, 5:26] == BOX_RGB).all() and (boxed[8:31, 25] == BOX_RGB).all()
    assert (boxed[12:18, 32:48] == LABEL_PALETTE[3] // 2).all()  # half-tinted on black
    assert (boxed[35:, 50:] == 0).all()


def test_classification_object_in_colour(samples, tmp_path):
    picture, = browse(tmp_path, 'configs/point_distill/downstream/'
                      'pointvit-tiny_cls_1xb32-40e_objects.py', 'val')
    assert (picture == LABEL_PALETTE[0]).all(-1).sum() > 50
