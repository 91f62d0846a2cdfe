"""Configs find the suite's modules through the OpenMMLab registries of every scope."""
import pytest
from mmengine.registry import DefaultScope

import projects.common  # noqa: F401
import projects.common.models  # noqa: F401
import projects.pixpro  # noqa: F401
from projects.common.registry import get_registry


@pytest.mark.parametrize('scope', ['mmdet3d', 'mmseg', 'mmpretrain'])
def test_sparse_unet_builds_in_each_scope(scope):
    with DefaultScope.overwrite_default_scope(scope):
        net = get_registry(scope).build(dict(type='SpUNet', in_channels=3))
    assert net.out_channels == 96


@pytest.mark.parametrize('scope,kind,name', [
    ('mmseg', 'HOOKS', 'NonFiniteLossHook'),
    ('mmdet3d', 'HOOKS', 'RNGStateHook'),
    ('mmpretrain', 'TRANSFORMS', 'RandomResizedCropCoord'),
    ('mmseg', 'TRANSFORMS', 'LoadImageFromFileChecked'),
    ('mmseg', 'DATASETS', 'CompositeTextureDataset'),
    ('mmpretrain', 'MODELS', 'PixPro'),
    ('mmpretrain', 'OPTIM_WRAPPER_CONSTRUCTORS', 'FlatParamsExcludedConstructor'),
])
def test_modules_resolve_from_library_scopes(scope, kind, name):
    with DefaultScope.overwrite_default_scope(scope):
        assert get_registry(scope, kind).get(name) is not None


def test_unknown_scope_is_named():
    with pytest.raises(KeyError, match="unknown registry scope 'mmfoo'"):
        get_registry('mmfoo')


def test_flat_params_skip_decay_and_lars():
    import torch
    from mmengine.optim import build_optim_wrapper
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4))
    frozen = torch.nn.Linear(2, 2).requires_grad_(False)
    model.add_module('frozen', frozen)
    wrapper = build_optim_wrapper(model, dict(
        type='OptimWrapper', constructor='FlatParamsExcludedConstructor',
        optimizer=dict(type='SGD', lr=0.1, weight_decay=1e-5)))
    groups = wrapper.optimizer.param_groups
    by_shape = {tuple(g['params'][0].shape): g for g in groups}
    assert by_shape[(4, 3, 3, 3)]['weight_decay'] == 1e-5
    assert not by_shape[(4, 3, 3, 3)].get('lars_exclude', False)
    assert all(g['weight_decay'] == 0 and g['lars_exclude'] for g in groups
               if g['params'][0].ndim == 1)
    assert len(groups) == 4  # conv weight, conv bias, BN weight, BN bias; frozen left out
