"""Shared pieces of the suite: registries, engine utilities, sparse backbones, datasets.

Importing this package registers everything in the OpenMMLab registries and makes
mmengine's local checkpoint writes atomic.
"""
from . import datasets, engine  # noqa: F401
from .registry import get_registry, register_in
from .spconv_cpu import apply_spconv_cpu_shim

__all__ = ['get_registry', 'register_in', 'apply_spconv_cpu_shim']
