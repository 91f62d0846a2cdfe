"""Register the suite's modules in the OpenMMLab registries that configs build from.

The rule (``tests/common/test_registry.py`` checks every registered class against it):

1. A method's models (``MODELS``: the algorithm, its backbones, necks, heads, data
   preprocessors) and metrics (``METRICS``) register in the method's scope,
   ``METHOD_SCOPES[method]``, the ``default_scope`` of its configs: a model's children are
   built from that library's registry.
2. Everything else registers once, in the root registry (``'mmengine'``): every module of
   ``projects.common`` (shared backbones, hooks, transforms, datasets) and every method's
   datasets, transforms and task utilities. Each library's registry falls back to the root,
   so ``type='SpUNet'`` or a transform resolves whatever the default scope, and a
   library's dataset (``mmdet3d.ScanNetSegDataset``) can carry the suite's transforms.
"""
import importlib

_REGISTRIES = {
    'mmengine': 'mmengine.registry',
    'mmpretrain': 'mmpretrain.registry',
    'mmseg': 'mmseg.registry',
    'mmdet': 'mmdet.registry',
    'mmdet3d': 'mmdet3d.registry',
}

ROOT_SCOPE = 'mmengine'
# The default scope of each method's configs, where its models and metrics register.
METHOD_SCOPES = {
    'pixpro': 'mmpretrain',
    'fac': 'mmpretrain',
    'point_distill': 'mmpretrain',
    'evwsss': 'mmseg',
    'semicd_vl': 'mmseg',
    'pdbev': 'mmdet3d',
}
SCOPED_KINDS = ('MODELS', 'METRICS')


def expected_scope(module_name: str, kind: str) -> str:
    """The scope the rule above assigns to a class of ``projects.<package>...`` and kind."""
    package = module_name.split('.')[1]
    if package == 'common' or kind not in SCOPED_KINDS:
        return ROOT_SCOPE
    return METHOD_SCOPES[package]


def get_registry(scope: str, kind: str = 'MODELS'):
    """Return registry ``kind`` (``MODELS``, ``HOOKS``, ``DATASETS``...) of library ``scope``."""
    if scope not in _REGISTRIES:
        raise KeyError(f'unknown registry scope {scope!r}; known: {sorted(_REGISTRIES)}')
    return getattr(importlib.import_module(_REGISTRIES[scope]), kind)


def register_in(scope: str, kind: str = 'MODELS'):
    """Class decorator: register the class in registry ``kind`` of ``scope`` (see the rule)."""

    def wrap(cls):
        # force=False: a name clash with a library module must fail loudly.
        get_registry(scope, kind).register_module(module=cls)
        return cls

    return wrap
