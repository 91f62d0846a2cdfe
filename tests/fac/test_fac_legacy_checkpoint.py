"""A FAC checkpoint written before the projector became a neck and the losses a head (commit
ba6cb61, keys ``projector.*`` / ``correlation.*``) loads strictly into today's model and gives
the losses that code computed on the same scenes (files in tests/data/legacy, written by that
commit's FAC)."""
import os.path as osp

import pytest
import torch
from densepre_test_helpers import ROOT
from mmengine.registry import DefaultScope
from mmengine.runner import load_checkpoint
from mmpretrain.registry import MODELS

import projects.fac  # noqa: F401
from projects.fac.transforms import TwoViewScene

LEGACY = osp.join(ROOT, 'tests', 'data', 'legacy')


def model_cfg():
    return dict(type='FAC', backbone=dict(type='SpUNet', base_channels=8,
                                          channels=(8, 16, 16, 8), layers=(1, 1, 1, 1)),
                voxel_size=(0.2, 0.2, 0.2), feat_dims=(0, 1, 2, 3, 4, 5),
                neck=dict(type='PointProjectorNeck', out_channels=16),
                head=dict(type='FACHead', temperature=0.4, num_pairs=10000))


@pytest.fixture
def one_thread():
    """spconv's CPU kernels add in a varying order with several threads (two uninterrupted
    FAC runs differ by up to 0.8 %, see tests/tools/test_kill_resume.py); one thread makes
    them repeatable."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_checkpoint_from_before_heads_loads_and_gives_the_same_losses(one_thread):
    saved = torch.load(osp.join(LEGACY, 'fac_tiny_ba6cb61_io.pt'), weights_only=True)
    old_keys = torch.load(osp.join(LEGACY, 'fac_tiny_ba6cb61.pth'),
                          weights_only=True)['state_dict']
    assert any(k.startswith('projector.') for k in old_keys)  # really the old layout
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        model = MODELS.build(model_cfg())
    load_checkpoint(model, osp.join(LEGACY, 'fac_tiny_ba6cb61.pth'), strict=True,
                    logger='silent')
    assert torch.equal(model.neck.mlp[0].weight, old_keys['projector.0.weight'])
    assert torch.equal(model.head.correlation.query.bias, old_keys['correlation.query.bias'])
    scenes = [TwoViewScene(points=saved['points'][2 * k:2 * k + 2],
                           segments=saved['segments'][2 * k:2 * k + 2],
                           matches=saved['matches'][k], is_foreground=saved['is_foreground'][k])
              for k in range(len(saved['matches']))]
    losses = model.loss(scenes)
    assert {k for k in losses if k.startswith('loss')} == set(saved['losses'])
    # spconv's CPU kernels do not add in a fixed order: the old code itself gives 5.0850,
    # 5.0850, 5.0854 for L_fg in three calls on these inputs, hence 2e-3 relative.
    for key, value in saved['losses'].items():
        torch.testing.assert_close(losses[key].detach(), value, rtol=2e-3, atol=0)
    # The per-point projections agree too (mean cosine > 0.99; a model whose
    # weights did not load gives unrelated ones).
    with torch.no_grad():
        feats = model.extract_feat(saved['points'])
    for new, old in zip(feats, saved['features']):
        assert (new * old).sum(1).mean() > 0.99
