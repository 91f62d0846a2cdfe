"""PixPro transforms, model forward/backward and the momentum schedule."""
import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub

import projects.pixpro  # noqa: F401
from mmpretrain.registry import MODELS, TRANSFORMS
from mmpretrain.structures import DataSample


def test_crop_coord_matches_the_crop():
    # Pixel value = column index, so the crop's first/last columns reveal x1/x2.
    height, width = 60, 100
    img = np.tile(np.arange(width, dtype=np.uint8)[None, :, None], (height, 1, 3))
    crop = TRANSFORMS.build(dict(type='RandomResizedCropCoord', scale=100,
                                 crop_ratio_range=(0.2, 0.5), interpolation='nearest'))
    np.random.seed(3)
    out = crop.transform(dict(img=img.copy()))
    x1, y1, x2, y2 = out['crop_coord']
    assert 0 <= x1 < x2 <= 1 and 0 <= y1 < y2 <= 1
    assert out['img'][0, 0, 0] == pytest.approx(x1 * (width - 1), abs=0.5)
    assert out['img'][0, -1, 0] == pytest.approx(x2 * (width - 1), abs=1.0)

    flip = TRANSFORMS.build(dict(type='RandomFlipCoord', prob=1.0))
    flipped = flip.transform(dict(out))
    assert np.allclose(flipped['crop_coord'], [x2, y1, x1, y2])
    assert flipped['img'][0, 0, 0] == out['img'][0, -1, 0]


def test_two_views_keep_their_coords():
    views = TRANSFORMS.build(dict(type='TwoViewsWithCoords', transforms=[
        [dict(type='RandomResizedCropCoord', scale=32)],
        [dict(type='RandomResizedCropCoord', scale=32), dict(type='RandomFlipCoord', prob=1.)],
    ]))
    out = views.transform(dict(img=np.zeros((50, 70, 3), np.uint8)))
    assert [im.shape for im in out['img']] == [(32, 32, 3), (32, 32, 3)]
    assert out['crop_coord'][1][0] > out['crop_coord'][1][2]  # flipped: x1 > x2


def tiny_pixpro(**kwargs):
    cfg = dict(
        type='PixPro', base_momentum=0.01,
        backbone=dict(type='ResNet', depth=18, out_indices=(3, )),
        neck=dict(type='ConvMLPNeck', in_channels=512, hid_channels=64, out_channels=32),
        head=dict(type='PixProHead', channels=32))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def batch(n=2, size=64):
    inputs = [torch.randn(n, 3, size, size), torch.randn(n, 3, size, size)]
    samples = []
    for _ in range(n):
        ds = DataSample()
        ds.set_field([np.array([0., 0., 1., 1.], np.float32),
                      np.array([0.2, 0.1, 0.9, 1.], np.float32)], 'crop_coord')
        samples.append(ds)
    return inputs, samples


def test_forward_backward_and_frozen_target():
    MessageHub.get_current_instance().update_info('max_iters', 10)
    torch.manual_seed(0)
    model = tiny_pixpro()
    model.train()
    losses = model.loss(*batch())
    assert set(losses) == {'loss_pixel'}
    assert torch.isfinite(losses['loss_pixel'])
    assert -2.0 <= losses['loss_pixel'].item() <= 2.0  # -2 x mean cosine
    losses['loss_pixel'].backward()
    assert model.backbone.conv1.weight.grad is not None
    assert all(not p.requires_grad for p in model.target_net.parameters())


def test_instance_branch_adds_weighted_term():
    MessageHub.get_current_instance().update_info('max_iters', 10)
    branch = dict(type='ConvMLPNeck', in_channels=512, hid_channels=64, out_channels=32)
    with pytest.raises(ValueError, match='instance_neck'):
        tiny_pixpro(instance_loss_weight=1.0)
    model = tiny_pixpro(instance_loss_weight=0.5, instance_neck=branch,
                        instance_predictor=dict(branch, in_channels=32))
    losses = model.loss(*batch())
    assert set(losses) == {'loss_pixel', 'loss_instance'}
    # Two directions of -2 cos, times 0.5: within [-2, 2].
    assert -2.0 <= losses['loss_instance'].item() <= 2.0
    assert len(model.target_net.module) == 3  # the instance projector has a momentum copy


@pytest.mark.parametrize('step,expected_m', [(1, 0.990245), (5, 0.995), (10, 1.0)])
def test_momentum_follows_the_release_cosine_schedule(step, expected_m):
    # m_k = 1 - (1 - 0.99) (cos(pi k / K) + 1) / 2; target <- m target + (1 - m) online.
    # K = 10: m_1 = 0.990245 (start), m_5 = 0.995 (middle), m_10 = 1 (end).
    MessageHub.get_current_instance().update_info('max_iters', 10)
    model = tiny_pixpro()
    online = model._mirrored()
    for p in online.parameters():
        p.data.fill_(1.0)
    for p in model.target_net.module.parameters():
        p.data.fill_(0.0)
    model.target_net.steps.fill_(step)
    model.target_net.update_parameters(online)
    value = next(model.target_net.module.parameters()).flatten()[0].item()
    assert value == pytest.approx(1 - expected_m, abs=1e-6)


def test_crop_size_overrides_every_view():
    views = TRANSFORMS.build(dict(type='TwoViewsWithCoords', crop_size=24, transforms=[
        [dict(type='RandomResizedCropCoord', scale=224)],
        [dict(type='RandomResizedCropCoord', scale=224), dict(type='RandomFlipCoord', prob=0.)],
    ]))
    out = views.transform(dict(img=np.zeros((50, 70, 3), np.uint8)))
    assert [im.shape for im in out['img']] == [(24, 24, 3), (24, 24, 3)]


@pytest.mark.parametrize('kind', ['grey', 'rgba', 'tiny'])
def test_pretraining_pipeline_accepts_grey_rgba_and_tiny_images(kind, tmp_path):
    """Grey and RGBA files are read as 3-channel colour; images smaller than the crop are
    cropped and resized up, like any other."""
    from mmengine.dataset import Compose
    from PIL import Image
    shape = {'grey': (40, 50), 'rgba': (40, 50, 4), 'tiny': (10, 12, 3)}[kind]
    data = np.random.default_rng(0).integers(0, 255, shape).astype(np.uint8)
    path = str(tmp_path / f'{kind}.png')
    Image.fromarray(data).save(path)
    pipeline = Compose([
        dict(type='LoadImageFromFileChecked'),
        dict(type='TwoViewsWithCoords', crop_size=32, transforms=[
            [dict(type='RandomResizedCropCoord', scale=224)],
            [dict(type='RandomResizedCropCoord', scale=224)]]),
    ])
    out = pipeline(dict(img_path=path))
    assert [im.shape for im in out['img']] == [(32, 32, 3), (32, 32, 3)]
