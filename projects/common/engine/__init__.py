"""Engine pieces: atomic checkpoint writes, hooks, the optimiser constructor (switched on by
``projects.common.runtime.setup_runtime``, registered on import)."""
from .atomic_io import AtomicLocalBackend, atomic_write, use_atomic_local_backend
from .hooks import NonFiniteLossHook, RNGStateHook
from .optim import FlatParamsExcludedConstructor

__all__ = ['AtomicLocalBackend', 'atomic_write', 'use_atomic_local_backend',
           'NonFiniteLossHook', 'RNGStateHook', 'FlatParamsExcludedConstructor']
