"""A PointDistillation checkpoint written before the DINO projection became a neck and the
losses a head (commit ba6cb61: keys ``head.mlp.*``, ``head.prototypes.*``, ``center``) loads
strictly into today's model; on the same crops it gives the losses that code computed and
moves the centre the same way (files in tests/data/legacy, written by that commit)."""
import os.path as osp

import torch
from densepre_test_helpers import ROOT
from mmengine.logging import MessageHub
from mmengine.registry import DefaultScope
from mmengine.runner import load_checkpoint
from mmpretrain.registry import MODELS

import projects.point_distill  # noqa: F401

LEGACY = osp.join(ROOT, 'tests', 'data', 'legacy')


def test_checkpoint_from_before_heads_loads_and_gives_the_same_losses():
    saved = torch.load(osp.join(LEGACY, 'point_distill_tiny_ba6cb61_io.pt'), weights_only=True)
    old = torch.load(osp.join(LEGACY, 'point_distill_tiny_ba6cb61.pth'),
                     weights_only=True)['state_dict']
    assert 'center' in old and any(k.startswith('head.mlp.') for k in old)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        model = MODELS.build(dict(
            type='PointDistillation',
            backbone=dict(type='PointViT', embed_dims=32, depth=1, num_heads=2, num_groups=8,
                          num_points=128, group_size=8, drop_path_rate=0.0),
            neck=dict(type='DINOProjectionNeck', out_channels=16, hidden_channels=32,
                      bottleneck_channels=8),
            head=dict(type='DistillContrastHead')))
    load_checkpoint(model, osp.join(LEGACY, 'point_distill_tiny_ba6cb61.pth'), strict=True,
                    logger='silent')
    assert torch.equal(model.head.center, old['center']) and old['center'].abs().sum() > 0
    assert torch.equal(model.neck.prototypes.weight, old['head.prototypes.weight'])
    MessageHub.get_instance('legacy-point-distill').update_info('iter', 0)
    losses = model.loss(saved['crops'])
    assert set(losses) == set(saved['losses'])
    for key, value in saved['losses'].items():
        torch.testing.assert_close(losses[key].detach(), value, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(model.head.center, saved['center_after'], rtol=1e-5, atol=1e-7)
