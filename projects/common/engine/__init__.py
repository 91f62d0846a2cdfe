from .atomic_io import (AtomicLocalBackend, atomic_write, use_atomic_local_backend,
                        use_full_checkpoint_loading)
from .hooks import NonFiniteLossError, NonFiniteLossHook, RNGStateHook

use_atomic_local_backend()
use_full_checkpoint_loading()

__all__ = ['AtomicLocalBackend', 'atomic_write', 'use_atomic_local_backend',
           'NonFiniteLossError', 'NonFiniteLossHook', 'RNGStateHook']
from .optim import FlatParamsExcludedConstructor  # noqa: E402

__all__ += ['FlatParamsExcludedConstructor']
