"""Register the suite's modules in the OpenMMLab registries that configs build from.

Configs choose a library by ``default_scope`` (``mmpretrain`` for pretraining, ``mmseg``,
``mmdet`` or ``mmdet3d`` downstream). A module several of them need (a backbone, a hook)
is registered in each, so ``type='SpUNet'`` resolves whatever the scope is.
"""
import importlib

_REGISTRIES = {
    'mmengine': 'mmengine.registry',
    'mmpretrain': 'mmpretrain.registry',
    'mmseg': 'mmseg.registry',
    'mmdet': 'mmdet.registry',
    'mmdet3d': 'mmdet3d.registry',
}


def get_registry(scope: str, kind: str = 'MODELS'):
    """Return registry ``kind`` (``MODELS``, ``HOOKS``, ``DATASETS``...) of library ``scope``."""
    if scope not in _REGISTRIES:
        raise KeyError(f'unknown registry scope {scope!r}; known: {sorted(_REGISTRIES)}')
    return getattr(importlib.import_module(_REGISTRIES[scope]), kind)


def register_in(*scopes: str, kind: str = 'MODELS'):
    """Class decorator: register the class in registry ``kind`` of every scope given."""

    def wrap(cls):
        for scope in scopes:
            # force=False: a name clash with a library module must fail loudly.
            get_registry(scope, kind).register_module(module=cls)
        return cls

    return wrap
