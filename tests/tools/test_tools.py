"""tools/train.py, test.py, dist_train.sh and convert_checkpoint.py as a user runs them."""
import json
import os.path as osp

import pytest
import torch

from densepre_test_helpers import losses_by_step, run_dist_train, run_tool, train_and_kill

TINY = 'tests/configs/pixpro_tiny_resume.py'
DDP = 'tests/configs/pixpro_tiny_ddp.py'
ITERS = 13  # 13 sample photographs x 4 repeats / batch 4


def test_resume_after_sigkill_reproduces_losses(samples, tmp_path):
    full = run_tool('tools/train.py', TINY, '--work-dir', str(tmp_path / 'full'))
    assert full.returncode == 0, full.stderr[-3000:]
    expected = losses_by_step(tmp_path / 'full')
    assert len(expected) == 3 * ITERS

    killed = tmp_path / 'killed'
    train_and_kill(TINY, killed, rf'Epoch\(train\) \[2\]\[ 5/{ITERS}\]')
    assert osp.isfile(killed / 'epoch_1.pth') and not osp.isfile(killed / 'epoch_2.pth')

    resumed = run_tool('tools/train.py', TINY, '--work-dir', str(killed), '--resume')
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert 'Load checkpoint from' in resumed.stdout + resumed.stderr
    got = losses_by_step(killed)
    for step in range(ITERS + 1, 3 * ITERS + 1):  # epochs 2 and 3, recomputed after the resume
        assert got[step] == pytest.approx(expected[step], rel=1e-5, abs=1e-6), step


def test_nan_loss_stops_with_iteration_and_term(samples, tmp_path):
    res = run_tool('tools/train.py', TINY, '--work-dir', str(tmp_path),
                   '--cfg-options', 'model.head.loss_weight=nan')
    assert res.returncode == 1
    assert 'error: non-finite loss at iteration 1 (epoch 1): loss_pixel = nan' in res.stderr
    assert 'Traceback' not in res.stderr


def test_bad_config_and_data_give_one_line_errors(samples, tmp_path):
    res = run_tool('tools/train.py', 'configs/nope.py')
    assert res.returncode == 1 and 'error: configs/nope.py: config file not found' in res.stderr
    res = run_tool('tools/train.py', TINY, '--work-dir', str(tmp_path / 'a'), '--cfg-options',
                   'train_dataloader.dataset.dataset.data_root=data/missing')
    assert res.returncode == 1
    assert f"error: {TINY}: train_dataloader data_root 'data/missing' does not exist" \
        in res.stderr
    assert 'Traceback' not in res.stderr

    images = tmp_path / 'images'
    images.mkdir()
    (images / 'broken.png').write_bytes(b'not a png at all')
    res = run_tool('tools/train.py', TINY, '--work-dir', str(tmp_path / 'b'), '--cfg-options',
                   f'train_dataloader.dataset.dataset.data_root={images}')
    assert res.returncode == 1
    assert f'{images}/broken.png: cannot decode image' in res.stderr
    assert 'Traceback' not in res.stderr

    # Empty file, read in a DataLoader worker: still one line naming the file.
    (images / 'broken.png').write_bytes(b'')
    res = run_tool('tools/train.py', TINY, '--work-dir', str(tmp_path / 'c'), '--cfg-options',
                   f'train_dataloader.dataset.dataset.data_root={images}',
                   'train_dataloader.num_workers=1')
    assert res.returncode == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith('error:')]
    assert errors == [f'error: {images}/broken.png: file is empty'], res.stderr[-2000:]


def test_two_gloo_processes_match_one_process(samples, tmp_path):
    single = run_tool('tools/train.py', DDP, '--work-dir', str(tmp_path / 'single'))
    assert single.returncode == 0, single.stderr[-3000:]
    dist = run_dist_train(DDP, 2, 29613, '--work-dir', str(tmp_path / 'ddp'), '--cfg-options',
                          'train_dataloader.batch_size=2')
    assert dist.returncode == 0, dist.stderr[-3000:]
    ref = torch.load(tmp_path / 'single' / 'params_rank0.pt')
    rank0 = torch.load(tmp_path / 'ddp' / 'params_rank0.pt')
    rank1 = torch.load(tmp_path / 'ddp' / 'params_rank1.pt')
    init = torch.load(tmp_path / 'single' / 'params_init_rank0.pt')
    assert rank0.keys() == rank1.keys() == ref.keys()
    for key in ref:
        assert torch.equal(rank0[key], rank1[key]), f'ranks differ at {key}'
        assert torch.allclose(rank0[key].float(), ref[key].float(), rtol=1e-4, atol=1e-5), key
    # Training really moved the weights: the comparison is not between two initialisations.
    assert not torch.allclose(init['backbone.conv1.weight'], ref['backbone.conv1.weight'])


def test_convert_checkpoint_loads_into_mmseg_and_mmdet(samples, tmp_path):
    import projects.pixpro  # noqa: F401
    from mmengine.runner.checkpoint import save_checkpoint
    from mmpretrain.registry import MODELS
    model = MODELS.build(dict(
        type='PixPro', backbone=dict(type='ResNet', depth=50, out_indices=(3, )),
        neck=dict(type='ConvMLPNeck', in_channels=2048, hid_channels=64, out_channels=32),
        head=dict(type='PixProHead', channels=32)))
    src, dst = tmp_path / 'pixpro.pth', tmp_path / 'backbone.pth'
    save_checkpoint({'state_dict': model.state_dict()}, str(src))
    for cfg in ('configs/pixpro/downstream/fcn_r50-d8_4xb2-40k_cityscapes-769x769_pixpro.py',
                'configs/pixpro/downstream/mask-rcnn_r50_fpn_1x_coco_pixpro.py'):
        res = run_tool('tools/convert_checkpoint.py', str(src), str(dst), '--check-config', cfg)
        assert res.returncode == 0, res.stderr[-3000:]
        assert 'missing keys (0)' in res.stdout and 'mismatched keys (0)' in res.stdout, res.stdout
    weights = torch.load(dst, weights_only=False)['state_dict']
    assert torch.equal(weights['conv1.weight'], model.backbone.conv1.weight)
    assert not any(k.startswith(('target_net', 'neck', 'head')) for k in weights)


def test_finetune_and_evaluate_with_mmseg_metric(samples, tmp_path):
    cfg = 'configs/pixpro/downstream/fcn_r18-d8_1xb8-300i_textures.py'
    work = tmp_path / 'seg'
    res = run_tool('tools/train.py', cfg, '--work-dir', str(work), '--cfg-options',
                   'train_cfg.max_iters=4', 'train_cfg.val_interval=4',
                   'default_hooks.checkpoint.interval=4', 'param_scheduler.0.end=4',
                   'train_dataloader.batch_size=2')
    assert res.returncode == 0, res.stderr[-3000:]
    out = tmp_path / 'metrics.json'
    res = run_tool('tools/test.py', cfg, str(work / 'iter_4.pth'), '--work-dir', str(work),
                   '--out', str(out))
    assert res.returncode == 0, res.stderr[-3000:]
    metrics = json.loads(out.read_text())
    assert set(metrics) == {'aAcc', 'mIoU', 'mAcc'}
    assert all(0.0 <= v <= 100.0 for v in metrics.values())
    res = run_tool('tools/test.py', cfg, str(tmp_path / 'nope.pth'))
    assert res.returncode == 1 and 'nope.pth: checkpoint not found' in res.stderr
    # a checkpoint of another model: one line with the key counts, no partial evaluation
    other = 'tests/data/legacy/fac_tiny_ba6cb61.pth'
    res = run_tool('tools/test.py', cfg, other, '--work-dir', str(work))
    last = res.stderr.strip().splitlines()[-1]
    assert res.returncode == 1 and 'Traceback' not in res.stderr
    assert last.startswith(f'error: {other}: does not fit the model of {cfg}: ')
    assert ' missing (backbone.' in last and ' unexpected (projector.' in last
