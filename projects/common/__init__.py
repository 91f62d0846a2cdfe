"""Shared pieces of the suite: registries, errors, cameras, engine utilities, sparse
backbones, datasets and transforms, event data.

Importing this package registers its modules (``registry.py`` states the rule) and changes
nothing else; process-wide settings are applied by ``runtime.setup_runtime()``.
"""
from . import datasets, engine, models  # noqa: F401  (registration)
from .registry import get_registry, register_in
from .runtime import setup_runtime

__all__ = ['get_registry', 'register_in', 'setup_runtime']
