"""FAC end to end on a tiny hand-made scene: pipeline -> two views -> model losses."""
import numpy as np
import pytest
import torch
from mmengine.dataset import Compose

import projects.fac  # noqa: F401
from mmpretrain.registry import MODELS


def scene_file(tmp_path):
    rng = np.random.default_rng(0)
    ground = np.c_[rng.uniform(-4, 4, (3000, 2)), rng.normal(0, 0.01, 3000)]
    box_a = rng.uniform([1, 1, 0.3], [2, 2, 1.3], (1500, 3))
    box_b = rng.uniform([-3, -2, 0.3], [-2, -1, 1.0], (1000, 3))
    xyz = np.concatenate([ground, box_a, box_b])
    path = str(tmp_path / 'scene.npy')
    np.save(path, np.c_[xyz, np.ones((len(xyz), 3))].astype(np.float32))
    return path


def tiny_fac(**head):
    cfg = dict(type='FAC', data_preprocessor=dict(type='BaseDataPreprocessor'),
               backbone=dict(type='SpUNet', base_channels=8, channels=(8, 16, 16, 8),
                             layers=(1, 1, 1, 1)),
               voxel_size=(0.1, 0.1, 0.1), feat_dims=(0, 1, 2, 3, 4, 5),
               neck=dict(type='PointProjectorNeck', out_channels=16),
               head=dict(type='FACHead', num_pairs=256, **head))
    return MODELS.build(cfg)


@pytest.fixture
def scene(tmp_path):
    np.random.seed(0)
    pipeline = Compose([
        dict(type='LoadPointsChecked', num_features=6),
        dict(type='ComputeSegments', provider=dict(type='GroundClusterSegments',
                                                   distance_threshold=0.05)),
        dict(type='TwoPointViews', crop_ratio=0.9, view_pipeline=[]),
        dict(type='PackTwoPointViews'),
    ])
    return pipeline(dict(lidar_path=scene_file(tmp_path)))['inputs']


def test_pipeline_finds_ground_and_two_objects(scene):
    assert scene.is_foreground.tolist() == [False, True, True]
    assert len(scene.points) == 2 and len(scene.matches) > 0


def test_losses_are_finite_and_train_the_backbone(scene):
    torch.manual_seed(0)
    model = tiny_fac()
    losses = model.loss([scene, scene])
    assert set(losses) == {'loss_fg', 'loss_fb', 'fg_skipped', 'fb_skipped', 'views_fallback'}
    assert losses['fg_skipped'] == 0 and losses['fb_skipped'] == 0
    # Near initialisation L_fg is close to log(num sampled pairs) and L_fb to log(3 segments).
    assert 0 < losses['loss_fg'].item() < np.log(256) + 1
    assert 0 < losses['loss_fb'].item() < np.log(3) + 1
    sum(losses.values()).backward()
    assert model.backbone.stem[0].weight.grad.abs().sum() > 0
    assert model.head.correlation.query.weight.grad is not None


def test_correlation_flag_and_weight(scene):
    torch.manual_seed(0)
    off = tiny_fac(use_correlation=False, fb_weight=0.0)
    losses = off.loss([scene])
    assert losses['loss_fb'].item() == 0.0
    sum(losses.values()).backward()
    assert off.head.correlation.query.weight.grad is None  # disabled module takes no part


def test_scenes_without_material_are_counted_and_warned(scene, monkeypatch):
    """A provider that finds no foreground: both terms are zero for those scenes, the log
    says which share of the batch was skipped, and a warning names the terms."""
    import dataclasses
    import logging

    import projects.fac.heads as heads
    messages = []
    monkeypatch.setattr(heads, 'print_log', lambda msg, logger=None, level=None:
                        messages.append(msg) if level == logging.WARNING else None)
    bare = dataclasses.replace(scene, is_foreground=torch.zeros_like(scene.is_foreground),
                               views_fallback=True)
    torch.manual_seed(0)
    losses = tiny_fac().loss([bare, scene])
    assert losses['fg_skipped'] == 0.5 and losses['fb_skipped'] == 0.5
    assert losses['views_fallback'] == 0.5
    assert not messages  # half is not more than half
    losses = tiny_fac().loss([bare, bare, scene])
    assert losses['loss_fg'] > 0 and losses['fg_skipped'] == pytest.approx(2 / 3)
    assert any('L_fg had no material in 2 of 3 scenes' in m for m in messages)
    assert any('L_fb had no material in 2 of 3 scenes' in m for m in messages)


def test_widths_come_from_feat_dims_and_the_neck():
    model = tiny_fac()
    assert model.backbone.in_channels == 6  # len(feat_dims)
    assert model.neck.mlp[0].in_features == model.backbone.out_channels == 8
    assert model.head.correlation.query.in_features == 16  # the neck's out_channels
    with pytest.raises(ValueError, match=r'backbone in_channels=4 but '
                                         r'feat_dims=\(0, 1, 2, 3, 4, 5\) gives 6 voxel'):
        MODELS.build(dict(type='FAC', backbone=dict(type='SpUNet', in_channels=4),
                          feat_dims=(0, 1, 2, 3, 4, 5), neck=dict(type='PointProjectorNeck'),
                          head=dict(type='FACHead')))


def test_bad_scene_is_named(tmp_path):
    from projects.common.errors import SampleFileError
    path = str(tmp_path / 'tiny.npy')
    np.save(path, np.zeros((2, 6), np.float32))
    pipeline = Compose([dict(type='LoadPointsChecked', num_features=6),
                        dict(type='ComputeSegments',
                             provider=dict(type='GroundClusterSegments'))])
    with pytest.raises(SampleFileError, match=r'tiny.npy: GroundClusterSegments: need at least 3'):
        pipeline(dict(lidar_path=path))
