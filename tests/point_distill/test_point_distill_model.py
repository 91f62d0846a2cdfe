"""Point ViT, crops, object sampling and the distillation model: shapes, gradients, EMA."""
import math

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub

from projects.common.errors import SampleFileError
from projects.point_distill import (DINOProjectionNeck, PointDistillation, PointObjectCrops,
                                    PointViT, SampleObjectPoints)

TINY = dict(type='PointViT', embed_dims=32, depth=1, num_heads=2, num_groups=8,
            num_points=128, group_size=8, drop_path_rate=0.0)


def tiny_model(base_momentum=0.004, **head):
    return PointDistillation(
        backbone=TINY, neck=dict(type='DINOProjectionNeck', out_channels=16, hidden_channels=32,
                                 bottleneck_channels=8),
        head=dict(type='DistillContrastHead', **head), base_momentum=base_momentum)


def crops(batch=4, num_local=2):
    torch.manual_seed(0)
    return [torch.rand(batch, 128, 3) for _ in range(2)] + \
        [torch.rand(batch, 48, 3) for _ in range(num_local)]


def test_backbone_outputs_and_groups_per_crop_size():
    vit = PointViT(**{k: v for k, v in TINY.items() if k != 'type'}, out_type='cls_max')
    assert vit.num_groups_for(128) == 8 and vit.num_groups_for(48) == 3
    out = vit(torch.rand(3, 48, 3))[0]
    assert out.shape == (3, 64) and vit.out_channels == 64
    with pytest.raises(ValueError, match="out_type must be 'cls' or 'cls_max'"):
        PointViT(out_type='mean')


def test_neck_prototypes_are_weight_normalised():
    head = DINOProjectionNeck(8, out_channels=5, hidden_channels=16, bottleneck_channels=4)
    with torch.no_grad():
        head.prototypes.weight.mul_(7.0)  # the scale of a prototype row must not matter
    scores, emb = head(torch.rand(3, 8))
    assert torch.allclose(emb.norm(dim=-1), torch.ones(3))
    assert scores.abs().max() <= 1 + 1e-5  # cosine between unit vectors


def test_loss_terms_and_no_gradient_into_the_teacher():
    MessageHub.get_current_instance().update_info('max_iters', 10)
    # Very soft temperatures flatten every softmax: DINO -> ln(16 prototypes), InfoNCE ->
    # ln(batch of 4).
    soft = tiny_model(student_temp=1e3, teacher_temp=1e3, warmup_teacher_temp=1e3,
                      contrast_temp=1e3).loss(crops())
    assert soft['loss_dino'].item() == pytest.approx(math.log(16), abs=1e-3)
    assert soft['loss_contrast'].item() == pytest.approx(math.log(4), abs=1e-3)
    model = tiny_model()
    losses = model.loss(crops())
    assert set(losses) == {'loss_dino', 'loss_contrast'}
    assert all(torch.isfinite(v) and v > 0 for v in losses.values())
    sum(losses.values()).backward()
    assert all(p.grad is None and not p.requires_grad for p in model.teacher.parameters())
    assert model.backbone.cls_token.grad is not None
    assert torch.count_nonzero(model.head.center) > 0  # the centre moved
    assert set(tiny_model(contrast_weight=0.0).loss(crops())) == {'loss_dino'}


def test_teacher_follows_the_cosine_momentum_schedule():
    MessageHub.get_current_instance().update_info('max_iters', 4)
    model = tiny_model(base_momentum=0.004)
    student = torch.nn.ModuleList([model.backbone, model.neck])
    model.teacher.update_parameters(student)  # first update: copy (mmengine convention)
    before = model.teacher.module[0].cls_token.detach().clone()
    with torch.no_grad():
        model.backbone.cls_token.add_(1.0)
    model.teacher.update_parameters(student)  # step 1 of 4
    m = 0.004 * (math.cos(math.pi / 4) + 1) / 2  # 1 - teacher momentum
    assert torch.allclose(model.teacher.module[0].cls_token, before + m, atol=1e-7)


def test_teacher_temperature_warms_up_linearly():
    hub = MessageHub.get_current_instance()
    model = tiny_model(warmup_teacher_temp=0.04, teacher_temp=0.07,
                       warmup_teacher_temp_iters=10)
    hub.update_info('iter', 5)
    assert model.head.current_teacher_temp() == pytest.approx(0.055)
    hub.update_info('iter', 12)
    assert model.head.current_teacher_temp() == pytest.approx(0.07)
    hub.update_info('iter', 0)


def test_crop_keeps_the_nearest_requested_fraction():
    np.random.seed(0)
    xyz = np.random.rand(1000, 3).astype(np.float32)
    crop = PointObjectCrops.crop(xyz, fraction=0.3, size=300)
    assert len(np.unique(crop, axis=0)) == 300  # exactly the 30 % fraction, no repeats
    kept = np.isin(xyz.view('V12').ravel(), crop.view('V12').ravel())
    # a ball around one of its points: all kept points nearer to it than all dropped ones
    dist = np.linalg.norm(crop[:, None] - xyz[None], axis=-1)  # (300, 1000)
    assert (dist[:, kept].max(1) <= dist[:, ~kept].min(1)).any()
    small = PointObjectCrops.crop(xyz, fraction=0.1, size=256)  # 100 points -> repeats
    assert small.shape == (256, 3) and len(np.unique(small, axis=0)) <= 100
    out = PointObjectCrops(num_global=2, num_local=3, global_points=200, local_points=64)(
        dict(points=xyz))
    assert [c.shape for c in out['crops']] == [(200, 3)] * 2 + [(64, 3)] * 3


def test_object_sampling_and_bad_objects():
    np.random.seed(0)
    xyz = np.random.rand(2000, 3).astype(np.float32)
    out = SampleObjectPoints(num_points=256)(dict(points=xyz.copy()))['points']
    assert out.shape == (256, 3) and len(np.unique(out, axis=0)) == 256
    assert np.linalg.norm(out, axis=1).max() == pytest.approx(1.0, abs=1e-5)
    padded = SampleObjectPoints(num_points=256)(dict(points=xyz[:100].copy()))['points']
    assert padded.shape == (256, 3) and len(np.unique(padded, axis=0)) == 100
    dup = np.repeat(xyz[:300], 2, axis=0)  # duplicated points are fine
    assert SampleObjectPoints(num_points=256)(dict(points=dup))['points'].shape == (256, 3)
    with pytest.raises(SampleFileError, match='obj.txt: 10 points, fewer than the 32'):
        SampleObjectPoints()(dict(points=xyz[:10], pts_path='obj.txt'))
    with pytest.raises(SampleFileError, match='obj.txt: all 50 points are at one position'):
        SampleObjectPoints()(dict(points=np.ones((50, 3), np.float32), pts_path='obj.txt'))


@pytest.mark.parametrize('config', [
    'configs/point_distill/pointdistill_pointvit_8xb8-300e_modelnet40.py',
    'configs/point_distill/pointdistill_pointvit-tiny_1xb32-60e_objects-demo.py'])
def test_weight_decay_schedule_leaves_zero_decay_groups_at_zero(config):
    """The DINO schedule: the decayed group goes 0.04 -> 0.4 along a cosine (half-way:
    (0.04 + 0.4) / 2 = 0.22), while norms, biases and tokens (decay 0) stay at 0."""
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import PARAM_SCHEDULERS

    import projects.point_distill  # noqa: F401
    cfg = Config.fromfile(config)
    init_default_scope(cfg.default_scope)
    model = torch.nn.Module()
    model.linear, model.norm = torch.nn.Linear(4, 4), torch.nn.LayerNorm(4)
    model.cls_token = torch.nn.Parameter(torch.zeros(1, 4))
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    entry = next(dict(s) for s in cfg.param_scheduler if 'WeightDecay' in s['type'])
    assert entry.pop('convert_to_iter_based') and entry.pop('by_epoch')
    scheduler_type = PARAM_SCHEDULERS.get(entry.pop('type'))
    entry.update(T_max=10, begin=0, end=11)
    scheduler = scheduler_type(wrapper.optimizer, **entry)
    decays = []
    for _ in range(10):
        wrapper.optimizer.step()
        scheduler.step()
        decays.append({round(g['weight_decay'], 6) for g in wrapper.optimizer.param_groups})
    assert decays[4] == {0.0, 0.22} and decays[9] == {0.0, 0.4}
    zero = [g for g in wrapper.optimizer.param_groups if g['weight_decay'] == 0.0]
    assert sum(len(g['params']) for g in zero) == 4  # linear bias, norm weight + bias, token
