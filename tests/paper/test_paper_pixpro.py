"""PixPro's paper configs on the ImageNet, Cityscapes, VOC and COCO miniatures: pretraining
through tools/train.py, the backbone converted, and every downstream config fine-tuned from
it (0 missing keys) and evaluated through tools/test.py with its benchmark's metric."""
import os.path as osp
import re
import time

import pytest

from densepre_test_helpers import run_tool
from paper_helpers import make_miniature, record_time, run_test, run_train, train_log

pytestmark = pytest.mark.paper

PRETRAIN = 'configs/pixpro/pixpro_r50_8xb128-coslr-100e_in1k.py'
# 12 images, batch 4: one epoch is 3 iterations
PRETRAIN_OPTIONS = ('train_dataloader.batch_size=4', 'train_cfg.max_epochs=1')


def last_checkpoint(work_dir) -> str:
    with open(osp.join(str(work_dir), 'last_checkpoint')) as f:
        return f.read().strip()


def assert_trained(work_dir) -> None:
    """It logged finite losses and saved a checkpoint."""
    log = train_log(work_dir)
    losses = [float(v) for v in re.findall(r'\sloss: (-?[\d.]+(?:e-?\d+)?)', log)]
    assert losses and all(abs(v) < 1e4 for v in losses), log[-2000:]
    assert osp.isfile(last_checkpoint(work_dir))
    assert re.search(r'(Iter|Epoch)\(train\)', log), log[-2000:]
    assert 'Saving checkpoint' in log


@pytest.fixture(scope='module')
def pixpro_backbone(tmp_path_factory):
    """The 100-epoch paper config pretrained on the ImageNet miniature, converted."""
    make_miniature('imagenet')
    work = tmp_path_factory.mktemp('pixpro_in1k')
    seconds = run_train(PRETRAIN, work, *PRETRAIN_OPTIONS)
    record_time(PRETRAIN, seconds)
    backbone = work / 'backbone.pth'
    out = run_tool('tools/convert_checkpoint.py', last_checkpoint(work), str(backbone))
    assert out.returncode == 0, out.stderr[-3000:]
    return work, backbone


def test_pixpro_paper_pretraining(pixpro_backbone):
    work, backbone = pixpro_backbone
    assert_trained(work)
    assert 'loss_pixel' in train_log(work) and backbone.is_file()


@pytest.mark.parametrize('config', [
    'configs/pixpro/pixpro_r50_8xb128-coslr-400e_in1k.py',
    'configs/pixpro/pixcontrast_r50_8xb128-coslr-100e_in1k.py',
    'configs/pixpro/pixpro-instance_r50_8xb128-coslr-100e_in1k.py',
])
def test_pixpro_paper_pretraining_variants(config, tmp_path):
    make_miniature('imagenet')
    record_time(config, run_train(config, tmp_path, *PRETRAIN_OPTIONS))
    assert_trained(tmp_path)


def _in_range(metrics: dict, keys, low, high) -> None:
    for key in keys:
        assert key in metrics, (key, sorted(metrics))
        assert metrics[key] == -1 or low <= metrics[key] <= high, (key, metrics[key])


SEG_KEYS = ('aAcc', 'mIoU', 'mAcc')  # percentages
DOWNSTREAM = {
    # config: (miniature, training options, backbone init keys, metric keys, range)
    'fcn_r50-d8_4xb2-40k_cityscapes-769x769_pixpro.py': (
        'cityscapes', ('train_dataloader.batch_size=1', 'train_cfg.max_iters=2'),
        ('model.backbone', ), SEG_KEYS, 100),
    # batch 2: ASPP's image-pooling BN cannot train on one 1x1 map
    'deeplabv3_r50-d8_4xb2-40k_cityscapes-769x769_pixpro.py': (
        'cityscapes', ('train_dataloader.batch_size=2', 'train_cfg.max_iters=2'),
        ('model.backbone', ), SEG_KEYS, 100),
    'fcn_r50-d8_4xb4-20k_voc12aug-512x512_pixpro.py': (
        'voc', ('train_dataloader.batch_size=2', 'train_cfg.max_iters=2'),
        ('model.backbone', ), SEG_KEYS, 100),
    'deeplabv3_r50-d8_4xb4-20k_voc12aug-512x512_pixpro.py': (
        'voc', ('train_dataloader.batch_size=2', 'train_cfg.max_iters=2'),
        ('model.backbone', ), SEG_KEYS, 100),
    'faster-rcnn_r50-c4_24k_voc0712_pixpro.py': (
        'voc', ('train_dataloader.batch_size=2', 'train_cfg.max_iters=2'),
        ('model.backbone', 'model.roi_head.shared_head'), ('pascal_voc/mAP', ), 1),
    'mask-rcnn_r50_fpn_1x_coco_pixpro.py': (
        'coco', ('train_dataloader.batch_size=2', 'train_cfg.max_epochs=1'),
        ('model.backbone', ), ('coco/bbox_mAP', 'coco/bbox_mAP_50', 'coco/segm_mAP',
                               'coco/segm_mAP_50'), 1),
}
# an untrained detector scores every class near 1 / num_classes, under the configs' 0.05
# test threshold: score everything so that the metric has detections to rank
DETECTION_TEST = ('model.test_cfg.rcnn.score_thr=0.0', )


@pytest.mark.parametrize('name', sorted(DOWNSTREAM))
def test_pixpro_paper_downstream(name, pixpro_backbone, tmp_path):
    config = f'configs/pixpro/downstream/{name}'
    miniature, options, inits, keys, high = DOWNSTREAM[name]
    make_miniature(miniature)
    _, backbone = pixpro_backbone
    report = run_tool('tools/convert_checkpoint.py', str(pixpro_backbone[0] / 'epoch_1.pth'),
                      str(tmp_path / 'checked.pth'), '--check-config', config)
    assert report.returncode == 0, report.stderr[-3000:]
    assert 'missing keys (0)' in report.stdout, report.stdout[-2000:]
    init = [f'{key}.init_cfg.checkpoint={backbone}' for key in inits]
    seconds = run_train(config, tmp_path, *options, 'train_cfg.val_begin=1000000', *init)
    log = train_log(tmp_path)
    assert f'load model from: {backbone}' in log
    assert 'missing keys in source state_dict' not in log, log[-3000:]
    assert_trained(tmp_path)
    extra = DETECTION_TEST if 'rcnn' in name else ()
    t0 = time.time()
    metrics = run_test(config, last_checkpoint(tmp_path), tmp_path / 'test', *extra)
    record_time(config, seconds + time.time() - t0)
    _in_range(metrics, keys, 0, high)
