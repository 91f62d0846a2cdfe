"""SemiCD-VL: change events, losses, paired transforms, the training step and the tools."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.registry import DefaultScope
from PIL import Image

from densepre_test_helpers import run_tool
from projects.common.errors import SampleFileError
from projects.semicd_vl import (LoadChangePair, RandomRescaleCropFlip, bcl_loss, building_label,
                                change_pseudo_labels, confident_ce, cutmix_box,
                                feature_distance, instance_change, mean_all_ce, mixed_change,
                                paste, pixel_change)

IGN = 255  # ignore


def test_building_label_and_pixel_change_by_hand():
    # 2 classes (house, grass) on 1x3 pixels: house 0.9 / 0.5 / 0.1, grass 0.1 / 0.5 / 0.85
    probs = np.array([[[0.9, 0.5, 0.1]], [[0.1, 0.5, 0.85]]], np.float32)
    assert building_label(probs, building_classes=(0, ), threshold=0.8).tolist() == [[1, IGN, 0]]
    a = np.array([[0, 1, 1, IGN, 0]], np.uint8)
    b = np.array([[0, 0, 1, 1, IGN]], np.uint8)
    assert pixel_change(a, b).tolist() == [[0, 1, 0, IGN, IGN]]


def test_mixed_change_events_by_hand():
    """Two 4x4 dates: A has buildings {a1 top-left, a2 bottom-right}, B has {b1 = a1 moved by
    one column (overlaps a1), b2 new at top-right}. a2 disappeared, b2 appeared."""
    a1 = np.zeros((4, 4), bool); a1[0:2, 0:2] = True  # noqa: E702
    a2 = np.zeros((4, 4), bool); a2[3, 3] = True  # noqa: E702
    b1 = np.zeros((4, 4), bool); b1[0:2, 1:3] = True  # noqa: E702
    b2 = np.zeros((4, 4), bool); b2[0, 3] = True  # noqa: E702
    changed = instance_change(np.stack([a1, a2]), np.stack([b1, b2]))
    assert changed.tolist() == (a2 | b2).tolist()
    # pixel change of the building maps: a1 xor b1 differs in columns 0 and 2 too
    bld_a = (a1 | a2).astype(np.uint8)
    bld_b = (b1 | b2).astype(np.uint8)
    bld_b[2, 0] = IGN
    pix = pixel_change(bld_a, bld_b)
    expected = np.zeros((4, 4), np.uint8)
    expected[3, 3] = expected[0, 3] = 1  # only inside the changed instances
    expected[2, 0] = IGN
    assert mixed_change(pix, changed).tolist() == expected.tolist()
    # one date without instances: all of the other's are changes; neither: nothing
    assert instance_change(np.zeros((0, 4, 4), bool), np.stack([b2])).tolist() == b2.tolist()
    assert not instance_change(np.zeros((0, 4, 4), bool), np.zeros((0, 4, 4), bool)).any()
    # the whole chain from probabilities (class 1 = building)
    probs = lambda m: np.stack([np.zeros((4, 4)), m * 0.9, (1 - m) * 0.9])  # noqa: E731
    _, _, change = change_pseudo_labels(probs(a1 | a2), np.stack([a1, a2]), probs(b1 | b2),
                                        np.stack([b1, b2]))
    assert change.tolist() == (a2 | b2).astype(np.uint8).tolist()


def test_bcl_confident_ce_and_mean_all_by_hand():
    dist = torch.tensor([[[0.5, 1.5, 3.0, 9.0]]])
    label = torch.tensor([[[0, 1, 1, IGN]]])
    # unchanged: 0.5^2 / 1; changed: ((2 - 1.5)^2 + 0) / 2; the ignored pixel is out
    assert bcl_loss(dist, label, margin=2.0).item() == pytest.approx(0.25 + 0.125)
    logits = torch.tensor([[[[2.0, 0.0, 1.0]], [[0.0, 0.0, 3.0]]]])  # (1, 2, 1, 3)
    target = torch.tensor([[[0, 1, IGN]]])
    conf = torch.tensor([[[0.99, 0.5, 0.99]]])
    ce0 = -torch.log_softmax(torch.tensor([2.0, 0.0]), 0)[0]
    # pixel 1 is below the threshold, pixel 2 ignored: CE of pixel 0 over 2 valid pixels
    assert confident_ce(logits, target, conf, 0.95).item() == pytest.approx(ce0.item() / 2)
    ce1 = -torch.log_softmax(torch.tensor([0.0, 0.0]), 0)[1]
    assert mean_all_ce(logits, target).item() == pytest.approx((ce0 + ce1).item() / 3)
    a, b = torch.zeros(1, 2, 1, 2), torch.tensor([[[[3.0, 0.0]], [[4.0, 1.0]]]])
    assert feature_distance(a, b).flatten().tolist() == pytest.approx([5.0, 1.0])


def test_cutmix_box_and_paste():
    g = torch.Generator().manual_seed(0)
    for _ in range(20):
        box = cutmix_box(40, 50, prob=1.0, generator=g)
        rows, cols = torch.nonzero(box, as_tuple=True)
        h, w = rows.max() - rows.min() + 1, cols.max() - cols.min() + 1
        assert box.sum() == h * w  # one rectangle
        assert 0.015 <= box.float().mean() <= 0.41
    assert not cutmix_box(40, 50, prob=0.0).any()
    box = torch.zeros(1, 4, 4, dtype=torch.bool)
    box[0, 1:3, 2:4] = True
    img, other = torch.zeros(1, 6, 4, 4), torch.ones(1, 6, 4, 4)
    mixed = paste(box, img, other)
    for c in range(6):  # A and B channels alike
        assert torch.equal(mixed[0, c].bool(), box[0])
    assert torch.equal(paste(box, torch.zeros(1, 4, 4), torch.full((1, 4, 4), 7.0)) == 7, box)


def _pair(tmp_path, a, b, label, name='p0'):
    for sub, arr in (('A', a), ('B', b), ('label', label)):
        (tmp_path / sub).mkdir(exist_ok=True)
        if arr is not None:
            Image.fromarray(arr).save(tmp_path / sub / f'{name}.png')
    return dict(img_path=str(tmp_path / 'A' / f'{name}.png'),
                img_path2=str(tmp_path / 'B' / f'{name}.png'),
                seg_map_path=str(tmp_path / 'label' / f'{name}.png'), change_value=255)


def test_paired_geometry_keeps_a_b_and_masks_aligned(tmp_path):
    """A 32x32 pattern of 8x8 blocks with ids 0..15: A's red = 10 * id, B's green =
    10 * id + 1, the change mask marks odd ids. After rescale by 0.5 (exact on 8x8
    blocks), padding to 24, a crop and a flip, all maps still agree pixel by pixel."""
    ids = np.kron(np.arange(16).reshape(4, 4), np.ones((8, 8), int))
    a = np.zeros((32, 32, 3), np.uint8); a[..., 0] = 10 * ids  # noqa: E702
    b = np.zeros((32, 32, 3), np.uint8); b[..., 1] = 10 * ids + 1  # noqa: E702
    info = _pair(tmp_path, a, b, (ids % 2 * 255).astype(np.uint8))
    results = LoadChangePair()(dict(info))
    assert results['gt_seg_map'].max() == 1
    np.random.seed(0)
    out = RandomRescaleCropFlip(crop_size=24, ratio_range=(0.5, 0.5), flip_prob=1.0)(results)
    img, gt, pad = out['img'], out['gt_seg_map'], out['pad_mask']
    assert img.shape == (24, 24, 6) and gt.shape == pad.shape == (24, 24)
    real = pad == 0
    assert real.sum() == 16 * 16 and (gt[~real] == IGN).all() and (img[~real] == 0).all()
    block_a, block_b = img[..., 0].astype(int) // 10, (img[..., 4].astype(int) - 1) // 10
    assert np.array_equal(block_a[real], block_b[real])
    assert np.array_equal(gt[real], block_a[real] % 2)
    # flipped: the right-most real column holds blocks 0, 4, 8, 12 (the left image column)
    cols = np.nonzero(real.any(0))[0]
    assert set(block_a[real[:, cols[-1]], cols[-1]]) == {0, 4, 8, 12}


def test_bad_pairs_are_named(tmp_path):
    rgb = np.zeros((8, 8, 3), np.uint8)
    cases = [
        ((rgb, np.zeros((8, 9, 3), np.uint8), np.zeros((8, 8), np.uint8)),
         r'pair p0.png .*A is \(8, 8, 3\) but B is \(8, 9, 3\)'),
        ((rgb, np.zeros((8, 8, 4), np.uint8) + 255, np.zeros((8, 8), np.uint8)),
         r'pair p0.png .*A is \(8, 8, 3\) but B is \(8, 8, 4\)'),
        ((rgb, rgb, np.full((8, 8), 7, np.uint8)),
         r'pair p0.png .*label/p0.png has values \[7\] \(expected \[0, 255\]\)'),
        ((rgb, None, np.zeros((8, 8), np.uint8)), r'pair p0.png .*B/p0.png not found'),
    ]
    for i, ((a, b, label), message) in enumerate(cases):
        sub = tmp_path / str(i)
        sub.mkdir()
        info = _pair(sub, a, b, label)
        with pytest.raises(SampleFileError, match=message):
            LoadChangePair()(info)
    info = _pair(tmp_path / '0', rgb, rgb, np.zeros((8, 8), np.uint8), name='p1')
    info['vl_change_path'] = str(tmp_path / 'missing.png')
    with pytest.raises(SampleFileError, match='missing.png not found .*make_change_pseudo'):
        LoadChangePair(pseudo_labels=['vl_change'])(info)


def _tiny_model(**kwargs):
    from projects.semicd_vl import SemiCDVL
    heads = dict(type='DualProjectionHead', in_channels=[8, 16], in_index=[0, 1], channels=8,
                 num_classes=2, norm_cfg=dict(type='BN'))
    cfg = dict(backbone=dict(type='ResNetV1c', depth=18, num_stages=2, out_indices=(0, 1),
                             strides=(1, 2), dilations=(1, 1), base_channels=8,
                             stem_channels=8),
               decode_head=dict(heads, vl_head=True), auxiliary_head=dict(heads, vl_head=False))
    cfg.update(kwargs)
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmseg'):  # leaves no global scope behind
        return SemiCDVL(**cfg)


def _semi_batch(n=2, size=16):
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample

    def samples(with_gt):
        out = []
        for _ in range(n):
            s = SegDataSample(metainfo=dict(img_shape=(size, size), ori_shape=(size, size)))
            keys = ('vl_change', 'vl_seg_a', 'vl_seg_b') + (('gt_sem_seg', ) if with_gt else ())
            for key in keys:
                setattr(s, key, PixelData(data=torch.randint(0, 2, (1, size, size))))
            out.append(s)
        return out
    inputs = {k: torch.rand(n, 6, size, size) * 255 for k in ('labeled', 'unlabeled', 'mix')}
    return inputs, dict(labeled=samples(True), unlabeled=samples(False), mix=samples(False))


def test_zero_weights_leave_their_heads_without_gradient():
    MessageHub.get_current_instance().update_info('iter', 0)
    MessageHub.get_current_instance().update_info('max_iters', 10)
    inputs, samples = _semi_batch()
    model = _tiny_model(contrast_weight=0.0, vl_weight=(0.0, 0.0))
    losses = model.loss(inputs, samples)
    assert set(losses) == {'loss_sup', 'loss_unsup'}
    sum(losses.values()).backward()
    assert all(p.grad is None for p in model.aux_head.parameters())
    assert all(p.grad is None for p in model.decode_head.conv_seg_vl.parameters())
    assert model.decode_head.conv_seg.weight.grad is not None
    model = _tiny_model(contrast_weight=0.1, vl_weight=(0.1, 0.0))
    losses = model.loss(inputs, samples)
    assert set(losses) == {'loss_sup', 'loss_unsup', 'loss_contrast', 'loss_vl'}
    sum(losses.values()).backward()
    assert model.decode_head.conv_seg_vl.weight.grad.abs().sum() > 0
    assert model.aux_head.conv_seg.weight.grad.abs().sum() > 0
    # the vision-language weight decays linearly to 0 at the last iteration
    MessageHub.get_current_instance().update_info('iter', 10)
    assert 'loss_vl' not in model.loss(inputs, samples)
    MessageHub.get_current_instance().update_info('iter', 5)
    assert model.vl_lambda() == pytest.approx(0.05)


def test_cutmix_box_reaches_images_pseudo_labels_and_confidences(monkeypatch):
    """With one known box, the strong input is the unlabeled pair outside and the partner
    inside (all six channels), and the pseudo labels / confidences of the unsupervised
    loss are the weak prediction's outside and the partner's eval prediction inside."""
    from projects.semicd_vl import model as model_module
    inputs, samples = _semi_batch(n=1)
    model = _tiny_model(contrast_weight=0.0, vl_weight=(0.0, 0.0), conf_threshold=0.0)
    box = torch.zeros(16, 16, dtype=torch.bool)
    box[4:10, 2:12] = True
    monkeypatch.setattr(model_module, 'cutmix_box', lambda *a, **k: box)
    monkeypatch.setattr(model, 'strong_view', lambda x: x)
    seen = {}
    original = model._forward_all
    monkeypatch.setattr(model, '_forward_all', lambda x, with_aux=True: (
        seen.setdefault('inputs', []).append(x.clone()), original(x, with_aux))[1])
    monkeypatch.setattr(model_module, 'confident_ce', lambda logits, target, conf, thr: (
        seen.update(target=target, conf=conf), logits.sum() * 0)[1])
    model.eval()
    with torch.no_grad():  # the partner's prediction before training touches BN statistics
        conf_m, pl_m = original(inputs['mix'], False)['change'].softmax(1).max(1)
    model.train()
    seen.clear()
    model.loss(inputs, samples)
    strong = seen['inputs'][-1]
    assert torch.equal(strong[0][:, box], inputs['mix'][0][:, box])
    assert torch.equal(strong[0][:, ~box], inputs['unlabeled'][0][:, ~box])
    assert torch.equal(seen['target'][0][box], pl_m[0][box])
    assert torch.allclose(seen['conf'][0][box], conf_m[0][box])


def test_pseudo_labels_train_test_and_pictures_through_the_tools(samples, tmp_path):
    root = osp.join(samples, 'change')
    # the bundled pseudo labels come from the simulated VLM outputs; the tiny random SAM
    # runs the segment-anything labeller on a copy of three pairs
    import shutil
    sam_root = tmp_path / 'sam'
    for sub in ('A', 'B'):
        (sam_root / sub).mkdir(parents=True)
        for name in ('train_0000', 'train_0001'):
            shutil.copy(osp.join(root, sub, f'{name}.png'), sam_root / sub)
    out = run_tool('tools/data/make_change_pseudo_labels.py', str(sam_root), '--labeller',
                   'sam', '--tiny-random-sam', '--sam-points-per-side', '4')
    assert 'wrote pseudo labels of 2 pairs' in out.stdout
    for sub in ('gen_cd_label', 'gen_seg_label/A', 'gen_seg_label/B'):
        label = np.array(Image.open(sam_root / sub / 'train_0001.png'))
        assert label.shape == (64, 64) and set(np.unique(label)) <= {0, 1, 255}
    out = run_tool('tools/data/make_change_pseudo_labels.py', str(sam_root), '--labeller',
                   'sam')
    assert out.returncode == 1 and 'error:' in out.stderr and 'checkpoint' in out.stderr
    cfg = 'configs/semicd_vl/semicd-vl_r18-lighthead_1xb4-40e_change-demo-10pct.py'
    work = tmp_path / 'work'
    out = run_tool('tools/train.py', cfg, '--work-dir', str(work), '--cfg-options',
                   'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
                   'train_dataloader.dataset.unlabeled.indices=16')
    assert out.returncode == 0, out.stderr[-3000:]
    best = [p for p in (work).iterdir() if p.name.startswith('best_IoU_changed')]
    assert len(best) == 1
    out = run_tool('tools/test.py', cfg, str(best[0]), '--work-dir', str(work / 'test'),
                   '--out', str(tmp_path / 'metrics.json'))
    assert out.returncode == 0, out.stderr[-3000:]
    metrics = json.loads((tmp_path / 'metrics.json').read_text())
    assert {'IoU_changed', 'F1_changed', 'Precision_changed', 'Recall_changed', 'OA'} <= \
        set(metrics)
    out = run_tool('tools/visualize_change.py', cfg, '--checkpoint', str(best[0]), '--out',
                   str(tmp_path / 'pics'), '--num', '2')
    assert out.returncode == 0, out.stderr[-3000:]
    pic = np.array(Image.open(tmp_path / 'pics' / 'test_0000.png'))
    assert pic.shape[0] == 256 and pic.shape[1] > 5 * 256


def test_change_metric_by_hand():
    """Two 2x2 maps (1 = changed, 255 ignored), counted over the split:
    changed: TP 2, predicted 3, labelled 4 -> IoU 2/5, P 2/3, R 1/2, F1 4/7;
    unchanged: TP 2, predicted 4, labelled 3 -> IoU 2/5; OA: 4 of 7 labelled pixels."""
    from projects.semicd_vl import ChangeMetric
    metric = ChangeMetric()
    metric.dataset_meta = dict(classes=('unchanged', 'changed'))
    pairs = [([[1, 1], [0, 0]], [[1, 0], [0, 0]]),
             ([[0, 0], [0, 1]], [[1, 1], [IGN, 1]])]
    metric.process(None, [dict(pred_sem_seg=dict(data=torch.tensor([pred])),
                               gt_sem_seg=dict(data=torch.tensor([gt])))
                          for pred, gt in pairs])
    out = metric.compute_metrics(metric.results)
    expected = dict(IoU_changed=40.0, Precision_changed=200 / 3, Recall_changed=50.0,
                    F1_changed=400 / 7, IoU_unchanged=40.0, OA=400 / 7, mIoU=40.0)
    assert out == pytest.approx(expected)


def test_disk_vlm_outputs_read_probabilities_and_rle_instances(tmp_path):
    """APE-style outputs of one image: uint8 probabilities (scaled to [0, 1]) and instances
    as COCO RLE; only the building classes' masks are kept."""
    from pycocotools import mask as mask_utils

    from projects.semicd_vl.labellers import DiskVLMOutputs
    (tmp_path / 'A').mkdir()
    probs = np.zeros((6, 3, 4), np.uint8)
    probs[1] = 255
    np.save(tmp_path / 'A/img1_probs.npy', probs)
    # column-major run lengths on 3x4: 1 off, 2 on (rows 1-2 of column 0), 9 off
    listed = dict(size=[3, 4], counts=[1, 2, 9])
    packed = mask_utils.frPyObjects(dict(size=[3, 4], counts=[10, 2]), 3, 4)  # col 3, rows 1-2
    packed['counts'] = packed['counts'].decode()        # as detectron2 writes it to json
    items = [dict(segmentation=listed, category_id=1), dict(segmentation=packed, category_id=1),
             dict(segmentation=listed, category_id=3)]  # class 3 (grass) is dropped
    (tmp_path / 'A/img1_instances.json').write_text(json.dumps(items))
    read_probs, masks = DiskVLMOutputs(str(tmp_path))(np.zeros((3, 4, 3)), 'img1', 'A')
    assert read_probs.dtype == np.float32 and read_probs[1].min() == 1.0
    assert read_probs[[0, 2, 3, 4, 5]].max() == 0.0
    first, second = np.zeros((3, 4), bool), np.zeros((3, 4), bool)
    first[1:, 0], second[1:, 3] = True, True
    assert masks.shape == (2, 3, 4)
    assert np.array_equal(masks[0], first) and np.array_equal(masks[1], second)
    # problems name the file
    with pytest.raises(SampleFileError, match=r'A/img1_probs.npy: shape \(6, 3, 4\), expected '
                                              r'\(K, 5, 4\)'):
        DiskVLMOutputs(str(tmp_path))(np.zeros((5, 4, 3)), 'img1', 'A')
    (tmp_path / 'A/img1_instances.json').write_text(json.dumps([dict(segmentation=[[0, 1]])]))
    with pytest.raises(SampleFileError, match='img1_instances.json: segmentation .* is not a '
                                              'COCO RLE'):
        DiskVLMOutputs(str(tmp_path))(np.zeros((3, 4, 3)), 'img1', 'A')
    with pytest.raises(SampleFileError, match='B/img1_probs.npy: class probabilities not'):
        DiskVLMOutputs(str(tmp_path))(np.zeros((3, 4, 3)), 'img1', 'B')


def test_change_event_scores_by_hand(tmp_path):
    """One 2x2 pair: pseudo (1, 255 / 0, 1), truth (255, 255 / 0, 0) with 255 = change.
    The unlabelled pseudo pixel counts as unchanged: TP 1, predicted 2, true 2 -> IoU 1/3."""
    for sub in ('gen_cd_label', 'label', 'splits'):
        (tmp_path / sub).mkdir()
    Image.fromarray(np.array([[1, 255], [0, 1]], np.uint8)).save(tmp_path / 'gen_cd_label/p.png')
    Image.fromarray(np.array([[255, 255], [0, 0]], np.uint8)).save(tmp_path / 'label/p.png')
    out = run_tool('tools/analysis/score_change_events.py', str(tmp_path))
    assert out.returncode == 0, out.stderr[-2000:]
    assert '| 1 | 33.33 | 50.00 | 50.00 | 50.00 | 50.00 |' in out.stdout
    (tmp_path / 'splits/test.txt').write_text('p\nq\n')
    out = run_tool('tools/analysis/score_change_events.py', str(tmp_path), '--split-file',
                   'splits/test.txt')
    assert out.returncode == 1
    assert f'error: {tmp_path}/gen_cd_label/q.png: file not found' in out.stderr
