"""Checkpoint helpers: find the one to resume from, read state dicts, rename the keys of
older checkpoints, and turn a pretraining checkpoint into plain backbone weights."""
import glob
import os
import os.path as osp
from collections import OrderedDict
from typing import Dict, Optional, Sequence, Tuple

import torch
from torch import nn


def latest_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint to resume from: ``last_checkpoint``'s target if it exists, else the
    newest ``*.pth`` in ``work_dir`` (checkpoints are written atomically, so any is whole)."""
    pointer = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer) as f:
            target = f.read().strip()
        if target and osp.isfile(target):
            return target
    candidates = sorted(glob.glob(osp.join(work_dir, '*.pth')), key=os.path.getmtime)
    return candidates[-1] if candidates else None


def rename_legacy_keys(renames: Sequence[Tuple[str, str]]):
    """A ``load_state_dict`` pre-hook that renames keys of checkpoints saved before a module
    moved: the first ``(old, new)`` prefix pair that matches a key (below the module's own
    prefix) renames it, unless the new name is already there."""

    def hook(state_dict, prefix, *args):
        for key in list(state_dict):
            if not key.startswith(prefix):
                continue
            local = key[len(prefix):]
            for old, new in renames:
                if local.startswith(old):
                    renamed = prefix + new + local[len(old):]
                    if renamed not in state_dict:
                        state_dict[renamed] = state_dict.pop(key)
                    break

    return hook


def load_state_dict_file(path: str) -> Dict[str, torch.Tensor]:
    """Read the model state dict of an mmengine checkpoint (or a bare state dict), safely."""
    from .safe_load import load_checkpoint_file
    ckpt = load_checkpoint_file(path, map_location='cpu')
    if isinstance(ckpt, dict):
        for key in ('state_dict', 'model'):
            if key in ckpt and isinstance(ckpt[key], dict):
                return ckpt[key]
    if not isinstance(ckpt, dict):
        raise ValueError(f'{path}: not a checkpoint (found {type(ckpt).__name__})')
    return ckpt


def extract_backbone(state_dict: Dict[str, torch.Tensor], prefix: str = 'backbone.'
                     ) -> 'OrderedDict[str, torch.Tensor]':
    """Keep the online encoder's weights (keys starting with ``prefix``), prefix removed.

    The momentum copy (``target_net.*``) and the heads are dropped.
    """
    prefix = prefix if prefix.endswith('.') else prefix + '.'
    out = OrderedDict((k[len(prefix):], v) for k, v in state_dict.items()
                      if k.startswith(prefix))
    if not out:
        found = sorted({k.split('.')[0] for k in state_dict})
        raise KeyError(f'no weights start with {prefix!r}; top-level names are {found}')
    # Keep the per-module versions: mmdet3d's spconv loader permutes kernels of
    # state dicts that do not say they were saved by spconv 2 modules.
    metadata = getattr(state_dict, '_metadata', None)
    if metadata is not None:
        out._metadata = OrderedDict((k[len(prefix):] if k.startswith(prefix) else k, v)
                                    for k, v in metadata.items()
                                    if k.startswith(prefix) or k == prefix[:-1])
        if prefix[:-1] in out._metadata:
            out._metadata[''] = out._metadata.pop(prefix[:-1])
    return out


def load_report(module: nn.Module, state_dict: Dict[str, torch.Tensor]) -> Dict[str, list]:
    """Load ``state_dict`` into ``module`` non-strictly; return missing/unexpected/mismatched."""
    own = module.state_dict()
    mismatched = [k for k, v in state_dict.items() if k in own and own[k].shape != v.shape]
    usable = OrderedDict((k, v) for k, v in state_dict.items() if k not in mismatched)
    if hasattr(state_dict, '_metadata'):
        usable._metadata = state_dict._metadata
    result = module.load_state_dict(usable, strict=False)
    # BN's num_batches_tracked is bookkeeping, not a weight.
    missing = [k for k in result.missing_keys if not k.endswith('num_batches_tracked')]
    return dict(missing=missing, unexpected=list(result.unexpected_keys), mismatched=mismatched)


def load_strictly(model: nn.Module, path: str, config: str = 'the config') -> None:
    """Load a checkpoint's weights into ``model``; any missing, unexpected or mis-shaped key
    is one ``CheckpointError`` line naming the file and the keys (no silent partial load)."""
    from .errors import CheckpointError
    report = load_report(model, load_state_dict_file(path))
    problems = [f'{len(keys)} {kind} ({", ".join(keys[:3])}{" ..." if len(keys) > 3 else ""})'
                for kind, keys in report.items() if keys]
    if problems:
        raise CheckpointError(f'{path}: does not fit the model of {config}: '
                              + '; '.join(problems))


def save_backbone(state_dict: Dict[str, torch.Tensor], path: str,
                  meta: Optional[dict] = None) -> None:
    """Save as ``{'state_dict': ..., 'meta': ...}`` atomically."""
    import io

    from .engine.atomic_io import atomic_write
    buffer = io.BytesIO()
    torch.save(dict(state_dict=state_dict, meta=meta or {}), buffer)
    atomic_write(buffer.getvalue(), path)
