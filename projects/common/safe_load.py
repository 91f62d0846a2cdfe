"""Checkpoints that cannot run code: ``torch.load(weights_only=True)`` for every file a user
gives the suite (``--resume``, ``tools/test.py CKPT``, ``init_cfg`` weights, conversion).

A checkpoint is a pickle, and a pickle can call any function while it is read. Loading with
``weights_only=True`` admits only tensors, plain containers and an allow-list of types; the
list here adds what mmengine's checkpoints need and nothing that can call code: numpy
arrays, dtypes and scalars (the RNG states of ``RNGStateHook``, metric values).

mmengine pickles its message hub's ``HistoryBuffer`` objects, whose pickles reach
``builtins.getattr`` (a gadget for running code, so never allow-listed), and some configs put
``ConfigDict`` objects in the meta data. Checkpoints written after ``setup_runtime()`` store
both as plain data (``plain_history_buffers``) and the loader rebuilds the buffers. Older
checkpoints, and any file with other globals, are refused with one line naming the file and
the way to load a file you trust: ``--unsafe-load`` on the tools, or
``DENSEPRE_UNSAFE_LOAD=1``.
"""
import os
import os.path as osp
import pickle
from collections import OrderedDict
from typing import Any

import numpy as np
import torch

from .errors import CheckpointError

UNSAFE_ENV = 'DENSEPRE_UNSAFE_LOAD'
_BUFFER_TAG = '__densepre_history_buffer__'
_SAFE_GLOBALS = [np.core.multiarray._reconstruct, np.ndarray, np.dtype,
                 np.core.multiarray.scalar] + [type(np.dtype(t)) for t in (
                     np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
                     np.uint32, np.uint64, np.float16, np.float32, np.float64)]


def allow_unsafe_load() -> None:
    """What ``--unsafe-load`` does: let this process (and its workers) unpickle anything."""
    os.environ[UNSAFE_ENV] = '1'


def plain_history_buffers(obj: Any) -> Any:
    """``obj`` with every mmengine ``HistoryBuffer`` replaced by a tagged plain dict and every
    ``ConfigDict`` by a dict; ``OrderedDict``s (state dicts) keep their type and metadata."""
    from mmengine.config import ConfigDict
    from mmengine.logging import HistoryBuffer
    if isinstance(obj, HistoryBuffer):
        log, count = obj.data
        return {_BUFFER_TAG: True, 'log': torch.from_numpy(np.asarray(log, np.float64)),
                'count': torch.from_numpy(np.asarray(count, np.float64)),
                'max_length': obj.max_length}
    if isinstance(obj, OrderedDict) and not isinstance(obj, ConfigDict):
        out = OrderedDict((k, plain_history_buffers(v)) for k, v in obj.items())
        if hasattr(obj, '_metadata'):  # state dicts keep their module versions
            out._metadata = obj._metadata
        return out
    if isinstance(obj, dict):  # dict, ConfigDict
        return {k: plain_history_buffers(v) for k, v in obj.items()}
    if type(obj) in (list, tuple):
        return type(obj)(plain_history_buffers(v) for v in obj)
    return obj


def restore_history_buffers(obj: Any) -> Any:
    """The inverse of ``plain_history_buffers``."""
    from mmengine.logging import HistoryBuffer
    if isinstance(obj, dict):
        if obj.get(_BUFFER_TAG):
            return HistoryBuffer(obj['log'].tolist(), obj['count'].tolist(), obj['max_length'])
        for key, value in obj.items():
            obj[key] = restore_history_buffers(value)
    elif isinstance(obj, list):
        obj[:] = [restore_history_buffers(v) for v in obj]
    return obj


def load_checkpoint_file(path: str, map_location=None) -> Any:
    """Read a checkpoint safely (see the module docstring); errors name the file."""
    path = osp.expanduser(path)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: checkpoint not found')
    if os.environ.get(UNSAFE_ENV) == '1':
        return torch.load(path, map_location=map_location, weights_only=False)
    try:
        with torch.serialization.safe_globals(_SAFE_GLOBALS):
            checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        try:
            allowed = {f'{g.__module__}.{g.__qualname__}' for g in _SAFE_GLOBALS}
            names = sorted(set(torch.serialization.get_unsafe_globals_in_checkpoint(path))
                           - allowed)
        except Exception:  # not a zip checkpoint: name nothing
            names = []
        held = f" (it holds {', '.join(names[:4])}{' ...' if len(names) > 4 else ''})" \
            if names else ''
        raise CheckpointError(
            f'{path}: refused to load, unpickling it could run code{held}; if you trust '
            f'the file, pass --unsafe-load (or set {UNSAFE_ENV}=1)') from err
    except (RuntimeError, EOFError) as err:
        raise CheckpointError(f'{path}: not a readable checkpoint (truncated or corrupt: '
                              f'{str(err).splitlines()[0][:120]})') from err
    return restore_history_buffers(checkpoint)


# A Pretrained init that fits less than this share of the module's weights is a mistake
# (typically a pretraining checkpoint where the converted backbone belongs).
MIN_MATCHED_SHARE = 0.5


def matched_share(module, checkpoint, revise_keys=((r'^module\.', ''), )) -> tuple:
    """(matched, total): the module's weights (BN counters aside) that the checkpoint holds
    under the same name and shape, after mmengine's ``revise_keys``."""
    import re
    state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else {}
    for pattern, repl in revise_keys:
        state = {re.sub(pattern, repl, k): v for k, v in state.items()}
    own = {k: v for k, v in module.state_dict().items() if not k.endswith('num_batches_tracked')}
    matched = sum(1 for k, v in own.items()
                  if torch.is_tensor(state.get(k)) and state[k].shape == v.shape)
    return matched, len(own)


def use_safe_checkpoint_io() -> None:
    """mmengine's local checkpoint loader reads with ``weights_only=True``, the Runner writes
    message-hub buffers as plain data (so that its own checkpoints pass that loader), and a
    ``Pretrained`` init that fits less than ``MIN_MATCHED_SHARE`` of the module's weights
    stops with one line (idempotent)."""
    from mmengine.runner import checkpoint as checkpoint_module
    from mmengine.runner import runner as runner_module
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(prefixes='', loader=load_checkpoint_file, force=True)
    save = runner_module.save_checkpoint
    if not getattr(save, 'writes_plain_buffers', False):
        def save_plain(checkpoint, *args, **kwargs):
            return save(plain_history_buffers(checkpoint), *args, **kwargs)
        save_plain.writes_plain_buffers = True
        runner_module.save_checkpoint = save_plain
    load = checkpoint_module.load_checkpoint  # what PretrainedInit calls
    if not getattr(load, 'checks_share', False):
        def load_checked(model, filename, map_location=None, strict=False, logger=None,
                         revise_keys=[(r'^module\.', '')]):
            checkpoint = checkpoint_module._load_checkpoint(filename, map_location, logger)
            matched, total = matched_share(model, checkpoint, revise_keys)
            if not strict and total and matched < MIN_MATCHED_SHARE * total:
                raise CheckpointError(
                    f'{filename}: fits {matched} of the {total} weights of the '
                    f'{type(model).__name__} it should initialise ({matched / total:.0%}); '
                    'a pretraining checkpoint? extract the backbone first: python '
                    'tools/convert_checkpoint.py SRC DST')
            return checkpoint_module._load_checkpoint_to_model(model, checkpoint, strict,
                                                               logger, revise_keys)
        load_checked.checks_share = True
        checkpoint_module.load_checkpoint = load_checked
