"""Configs find the suite's modules through the OpenMMLab registries of every scope, and
every registered class follows the one registration rule of projects/common/registry.py."""
import importlib
from collections import defaultdict

import pytest
from mmengine.registry import DefaultScope

import projects.common  # noqa: F401
import projects.common.models  # noqa: F401
from projects.common.registry import (_REGISTRIES, METHOD_SCOPES, ROOT_SCOPE, expected_scope,
                                      get_registry)

KINDS = ('MODELS', 'DATASETS', 'TRANSFORMS', 'METRICS', 'HOOKS', 'TASK_UTILS',
         'OPTIM_WRAPPER_CONSTRUCTORS')


def registered_suite_classes():
    """{(class, kind): {scopes}} for every class of ``projects`` in any registry."""
    for method in METHOD_SCOPES:
        importlib.import_module(f'projects.{method}')
    found = defaultdict(set)
    for scope in _REGISTRIES:
        for kind in KINDS:
            for cls in get_registry(scope, kind).module_dict.values():
                if getattr(cls, '__module__', '').startswith('projects.'):
                    found[(cls, kind)].add(scope)
    return found


def test_every_registered_class_follows_the_rule():
    found = registered_suite_classes()
    assert len(found) > 50  # every package was imported and registered
    wrong = {f'{cls.__module__}.{cls.__name__} ({kind}): {sorted(scopes)}, expected '
             f'{expected_scope(cls.__module__, kind)}'
             for (cls, kind), scopes in found.items()
             if scopes != {expected_scope(cls.__module__, kind)}}
    assert not wrong, '\n'.join(sorted(wrong))


def test_rule_by_example():
    assert expected_scope('projects.fac.model', 'MODELS') == 'mmpretrain'
    assert expected_scope('projects.pdbev.metrics', 'METRICS') == 'mmdet3d'
    assert expected_scope('projects.evwsss.transforms', 'TRANSFORMS') == ROOT_SCOPE
    assert expected_scope('projects.common.models.sparse_unet', 'MODELS') == ROOT_SCOPE


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
