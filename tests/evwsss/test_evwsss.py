"""EV-WSSS: losses by hand, pseudo-label masking, prototype memory, model and data."""
import json
import math
import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmengine.structures import PixelData

from projects.common.errors import ConfigError, SampleFileError
from projects.evwsss.losses import (IGNORE, mutual_loss, present_classes, prototype_contrast,
                                    pseudo_labels)
from projects.evwsss.prototypes import PrototypeMemory


def pixels(*rows):
    """(1, K, 1, P) logits from per-pixel K-vectors."""
    return torch.tensor(rows, dtype=torch.float32).t()[None, :, None, :]


def test_pseudo_labels_mask_absent_classes_and_low_confidence():
    logits = pixels([5.0, 0.0, 0.0], [0.1, 0.0, 0.0], [0.0, 0.0, 4.0])
    present = torch.tensor([[True, True, False]])
    q, labels = pseudo_labels(logits, present, threshold=0.6)
    assert torch.all(q[0, 2] == 0)  # class 2 has no point label: zeroed
    # pixel 0 confident class 0; pixel 1 ~ (0.35, 0.32): ignored; pixel 2's only strong
    # class is absent, the rest (1 / (2 + e^4) each) is far below tau
    assert labels[0, 0].tolist() == [0, IGNORE, IGNORE]


def test_mutual_loss_uses_only_confident_pixels():
    za = pixels([5.0, 0.0], [0.1, 0.0])
    zb = pixels([0.0, 3.0], [0.0, 0.1])
    present = torch.tensor([[True, True]])
    _, ya = pseudo_labels(za, present, 0.6)
    _, yb = pseudo_labels(zb, present, 0.6)
    assert ya[0, 0].tolist() == [0, IGNORE] and yb[0, 0].tolist() == [1, IGNORE]
    expected = (5 + math.log(1 + math.exp(-5))) + (3 + math.log(1 + math.exp(-3)))
    assert mutual_loss(za, zb, ya, yb).item() == pytest.approx(expected, rel=1e-5)
    nothing = torch.full_like(ya, IGNORE)
    assert mutual_loss(za, zb, ya, nothing) is None  # an image without confident pixels


def test_prototype_contrast_by_hand():
    protos = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    feats = torch.tensor([[1.0, 0.0], [0.0, 1.0]]).t()[None, :, None, :]  # (1, D, 1, 2)
    # logits per pixel: (2, 0) and (0, 2) at temperature 0.5
    loss = prototype_contrast(protos, feats, torch.tensor([[[0, 1]]]), temperature=0.5)
    assert loss.item() == pytest.approx(math.log(1 + math.exp(-2)), rel=1e-6)
    wrong = prototype_contrast(protos, feats, torch.tensor([[[1, IGNORE]]]), temperature=0.5)
    assert wrong.item() == pytest.approx(2 + math.log(1 + math.exp(-2)), rel=1e-6)


def test_memory_pushes_weighted_region_prototypes():
    memory = PrototypeMemory(num_classes=2, dim=2, length=3, min_entries=1)
    feats = torch.zeros(1, 2, 4, 4)
    feats[0, 0, :2] = 1.0   # top half points along d0
    feats[0, 1, 2:] = 1.0   # bottom half along d1
    q = torch.zeros(1, 2, 4, 4)
    q[0, 0, :2] = 0.9       # 8 px x 0.9 = 7.2 <= 10: not pushed
    q[0, 1] = 0.8           # 16 px: pushed, mean of d0 and d1 halves
    memory.push(feats, q, torch.tensor([[True, True]]))
    assert len(memory.queue(0)) == 0 and len(memory.queue(1)) == 1
    assert torch.allclose(memory.queue(1)[0], torch.tensor([1.0, 1.0]) / math.sqrt(2))
    memory.push(feats, q, torch.tensor([[True, False]]))  # class 1 absent: nothing pushed
    assert memory.ready() == [False, False]
    memory.push(feats, q, torch.tensor([[True, True]]))
    assert memory.ready() == [False, True]
    protos = memory.prototypes()
    assert torch.all(protos[0] == 0)
    assert torch.allclose(protos[1], torch.tensor([1.0, 1.0]) / math.sqrt(2))


def test_memory_is_a_fifo_of_fixed_length():
    """Five single-pixel pushes into a queue of 3 keep the last three, oldest first."""
    memory = PrototypeMemory(num_classes=1, dim=2, length=3, min_entries=0)
    angles = [0.1, 0.2, 0.3, 0.4, 0.5]
    for a in angles:
        feats = torch.tensor([math.cos(a), math.sin(a)]).view(1, 2, 1, 1)
        memory.push(feats, torch.ones(1, 1, 1, 1), torch.tensor([[True]]), min_weight=0.5)
    kept = memory.queue(0)
    assert torch.allclose(torch.atan2(kept[:, 1], kept[:, 0]), torch.tensor(angles[2:]))
    # the class prototype is the direction of the mean of the kept entries: angle 0.4
    assert torch.allclose(memory.prototypes()[0], torch.tensor([math.cos(0.4), math.sin(0.4)]))


def small_evwsss(**kwargs):
    from projects.evwsss import EVWSSS
    return EVWSSS(**dict(dict(num_classes=2, in_channels=2, base_channels=2, queue_length=4,
                              proto_min_entries=1), **kwargs))


def test_memory_queues_are_saved_and_restored_with_the_model(tmp_path):
    model = small_evwsss()
    feats = F.normalize(torch.rand(2, 16, 3, 3), dim=1)
    model.memories[1].push(feats, torch.ones(2, 2, 3, 3), torch.tensor([[True, False]] * 2),
                           min_weight=1.0)
    torch.save(model.state_dict(), tmp_path / 'ckpt.pth')
    restored = small_evwsss()
    restored.load_state_dict(torch.load(tmp_path / 'ckpt.pth', weights_only=True))
    assert len(restored.memories[1].queue(0)) == 2 and len(restored.memories[1].queue(1)) == 0
    assert torch.equal(restored.memories[1].queue(0), model.memories[1].queue(0))
    # a checkpoint from before the queues were buffers loads strictly, with empty queues
    old = {k: v for k, v in model.state_dict().items() if '.memories.' not in f'.{k}'}
    fresh = small_evwsss()
    with pytest.warns(UserWarning, match='no prototype queues'):
        fresh.load_state_dict(old, strict=True)
    assert fresh.memories[1].ready() == [False, False]
    with pytest.raises(ConfigError, match='queue_length=4 must exceed proto_min_entries=10'):
        small_evwsss(proto_min_entries=10)


def test_memory_queues_are_gathered_across_ranks_in_rank_order(tmp_path):
    import torch.multiprocessing as mp
    from ddp_workers import push_prototypes_on_two_ranks
    mp.spawn(push_prototypes_on_two_ranks, args=(str(tmp_path / 'init'), str(tmp_path)), nprocs=2)
    states = [torch.load(tmp_path / f'rank{r}.pth', weights_only=True) for r in (0, 1)]
    for key in states[0]:
        assert torch.equal(states[0][key], states[1][key]), key  # identical on both ranks
    memory = PrototypeMemory(num_classes=2, dim=2, length=5, min_entries=0)
    memory.load_state_dict(states[0])
    assert memory.queue(0).tolist() == [[1.0, 0.0], [0.0, 1.0]]  # rank 0's, then rank 1's
    assert memory.queue(1).tolist() == [[0.0, 1.0]]


def test_prototype_exchange_with_full_queues_by_hand():
    """Full queues, P_A = P_B = (e0, e1); B's projection head swaps d0 and d1, A's is the
    identity; pixels e0 and e1 labelled (0, 1) by both pseudo labels; temperature 0.5.
    Own prototypes: logits (2, 0) and (0, 2) -> CE c = log(1 + e^-2) per pixel.
    Exchanged for A (B's swapped: (e1, e0)) -> CE 2 + c; for B (A's: (e0, e1)) -> c.
    L_A = (c + 2 + c) / 4, L_B = (c + c) / 4, and A's own CE = c."""
    from projects.evwsss import EVWSSS
    model = EVWSSS(num_classes=2, in_channels=2, base_channels=1, queue_length=3,
                   proto_min_entries=2, proto_temp=0.5)
    dim = model.memories[0].bank.shape[-1]
    eye = torch.eye(dim)
    for memory in model.memories:
        memory.bank.copy_(eye[:2, None, :].expand(2, 3, dim))
        memory.filled.fill_(3)
    swap = eye[[1, 0] + list(range(2, dim))]
    for student, weight in ((model.student_a, eye), (model.student_b, swap)):
        student.proj['8'].weight.data.copy_(weight[:, :, None, None])
        student.proj['8'].bias.data.zero_()
    lat = {8: eye[:2].t().reshape(1, dim, 1, 2).clone()}   # pixel 0 = e0, pixel 1 = e1
    labels = torch.tensor([[[0, 1]]])
    q = torch.ones(1, 2, 1, 2)                             # 2 px: too light to be pushed
    present = torch.tensor([[True, True]])
    (loss_a, loss_b), own_a = model._prototype_loss(lat, lat, q, q, labels, labels, present)
    c = math.log(1 + math.exp(-2))
    assert loss_a.item() == pytest.approx((2 * c + 2) / 4, rel=1e-5)
    assert loss_b.item() == pytest.approx(2 * c / 4, rel=1e-5)
    assert own_a.item() == pytest.approx(c, rel=1e-5)
    assert model.memories[0].filled.tolist() == [3, 3]      # nothing pushed


def test_present_classes_from_points():
    points = torch.full((2, 3, 3), IGNORE)
    points[0, 0, 0], points[0, 2, 2], points[1, 1, 1] = 1, 3, 0
    assert present_classes(points, 4).tolist() == [[False, True, False, True],
                                                   [True, False, False, False]]


def test_dual_students_train_and_only_student_a_predicts():
    from mmseg.structures import SegDataSample

    from projects.evwsss import EVWSSS
    torch.manual_seed(0)
    model = EVWSSS(num_classes=3, in_channels=2, base_channels=4, queue_length=5,
                   proto_min_entries=0, proto_start_epoch=0, mimicry_start_epoch=0)
    inputs = torch.rand(2, 2, 3, 2, 16, 16)  # batch, (forward, reversed), chunks, bins, H, W
    samples = []
    for _ in range(2):
        points = torch.full((1, 16, 16), IGNORE)
        points[0, 2, 3], points[0, 10, 12] = 0, 2
        s = SegDataSample(metainfo=dict(img_shape=(16, 16), ori_shape=(16, 16)))
        s.gt_points = PixelData(data=points)
        samples.append(s)
    MessageHub.get_current_instance().update_info('epoch', 0)
    losses = model.loss(inputs, samples)
    assert {'loss_point_a', 'loss_point_b', 'loss_mimicry'} <= set(losses)
    sum(losses.values()).backward()
    assert model.student_b.encoder.head[0].weight.grad is not None
    model.eval()
    with torch.no_grad():
        out = model.predict(inputs, samples)
        reversed_changed = inputs.clone()
        reversed_changed[:, 1] = 0
        same = model.predict(reversed_changed, samples)
    assert out[0].pred_sem_seg.data.shape == (1, 16, 16)
    assert torch.equal(out[0].seg_logits.data, same[0].seg_logits.data)  # B never used
    baseline = EVWSSS(num_classes=3, in_channels=2, base_channels=4, dual=False)
    assert set(baseline.loss(inputs[:, :1], samples)) == {'loss_point_a'}


def test_prototype_weights_and_the_ddd17_release_term(monkeypatch):
    """loss_proto = w * (L_A + L_B) + w_release * (L_A + CE_A), with fixed term values."""
    from mmseg.structures import SegDataSample

    from projects.evwsss import EVWSSS
    terms = ((torch.tensor(2.0), torch.tensor(3.0)), torch.tensor(5.0))
    monkeypatch.setattr(EVWSSS, '_prototype_loss', lambda self, *args: terms)
    sample = SegDataSample(metainfo=dict(img_shape=(16, 16), ori_shape=(16, 16)))
    sample.gt_points = PixelData(data=torch.full((1, 16, 16), IGNORE))
    sample.gt_points.data[0, 1, 1] = 0
    MessageHub.get_current_instance().update_info('epoch', 5)
    inputs = torch.rand(2, 2, 1, 2, 16, 16)
    for weight, extra, expected in ((1.0, 0.0, 5.0), (0.1, 0.1, 0.5 + 0.7)):
        model = EVWSSS(num_classes=2, in_channels=2, base_channels=4, proto_weight=weight,
                       release_extra_proto_weight=extra, mimicry_weight=0)
        assert model.loss(inputs, [sample, sample])['loss_proto'].item() == pytest.approx(expected)


def test_event_sequence_loading_and_bad_sequences(samples, tmp_path):
    from projects.evwsss import EventSegFolder, LoadEventSequence
    ds = EventSegFolder(f'{samples}/events', split='val')
    assert ds.metainfo['classes'] == ('brick', 'grass', 'gravel', 'moon') and len(ds) == 8
    load = LoadEventSequence(num_chunks=4, bins=5, duration_us=50_000, reversed_multiplier=2)
    out = load(dict(ds.get_data_info(0)))
    assert out['inputs'].shape == (2, 4, 5, 48, 64) and out['gt_points'].shape == (48, 64)
    labelled = out['gt_points'][out['gt_points'] != 255]
    assert len(labelled) == len(np.unique(out['gt_seg_map'])) == len(np.unique(labelled))
    # a window asking for more events than recorded names the file
    seq = osp.dirname(ds.get_data_info(0)['events_path'])
    with pytest.raises(SampleFileError, match='events.npz: .* events before the label time, '
                                              'the window needs 100000000'):
        LoadEventSequence(num_chunks=1000, events_per_chunk=100_000)(dict(ds.get_data_info(0)))
    meta = json.load(open(f'{seq}/meta.json'))
    assert meta['t_label'] == 100000


def test_train_test_and_pictures_through_the_tools(samples, tmp_path):
    from densepre_test_helpers import run_tool
    cfg = 'configs/evwsss/evwsss_e2vid-tiny_1xb4-30e_events-demo.py'
    work = tmp_path / 'ev'
    res = run_tool('tools/train.py', cfg, '--work-dir', str(work), '--cfg-options',
                   'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
                   'train_dataloader.dataset.indices=4', 'val_dataloader.dataset.indices=4',
                   'default_hooks.logger.interval=1')
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'loss_point_b' in res.stdout + res.stderr  # both students trained
    metrics = tmp_path / 'metrics.json'
    res = run_tool('tools/test.py', cfg, str(work / 'epoch_1.pth'), '--work-dir', str(work),
                   '--out', str(metrics), '--cfg-options', 'test_dataloader.dataset.indices=4')
    assert res.returncode == 0, res.stderr[-3000:]
    assert 0 <= json.loads(metrics.read_text())['mIoU'] <= 100
    res = run_tool('tools/visualize_events.py', cfg, '--checkpoint', str(work / 'epoch_1.pth'),
                   '--out', str(tmp_path / 'pics'), '--num', '1')
    assert res.returncode == 0, res.stderr[-3000:]
    assert len(list((tmp_path / 'pics').glob('seq_*.png'))) == 1


def test_bins_and_input_channels_must_agree():
    from projects.common.errors import ConfigError
    from projects.evwsss.students import EventStudent
    student = EventStudent(num_classes=3, in_channels=5, base_channels=4)
    assert student(torch.rand(1, 2, 5, 16, 16))[0].shape == (1, 3, 16, 16)
    with pytest.raises(ConfigError, match=r'has 4 bins per chunk but model.in_channels=5'):
        student(torch.rand(1, 2, 4, 16, 16))
