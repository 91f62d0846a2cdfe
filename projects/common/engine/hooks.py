"""Hooks every method uses: stop on a non-finite loss, make resumed runs reproducible."""
import random
from typing import Optional

import numpy as np
import torch
from mmengine.hooks import Hook

from ..errors import NonFiniteLossError
from ..registry import register_in

DATA_BATCH = Optional[dict]


@register_in('mmengine', kind='HOOKS')
class NonFiniteLossHook(Hook):
    """Stop training when any logged loss term is NaN/Inf, naming the iteration and term."""

    priority = 'VERY_HIGH'

    def after_train_iter(self, runner, batch_idx: int, data_batch: DATA_BATCH = None,
                         outputs: Optional[dict] = None) -> None:
        terms = [k for k in (outputs or {}) if 'loss' in k]
        # Name the individual term first; the total 'loss' only if no term explains it.
        for name in sorted(terms, key=lambda k: k == 'loss'):
            value = outputs[name]
            value = torch.as_tensor(value)
            if not torch.isfinite(value).all():
                raise NonFiniteLossError(
                    f'non-finite loss at iteration {runner.iter + 1} '
                    f'(epoch {runner.epoch + 1}): {name} = {value.item()}')


@register_in('mmengine', kind='HOOKS')
class RNGStateHook(Hook):
    """Save the Python, NumPy and torch RNG states in checkpoints and restore them on resume.

    With it, a run resumed from an epoch checkpoint draws the same augmentations (in the
    main process; workers are re-seeded by mmengine each epoch) as the uninterrupted run.
    """

    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['rng_state'] = dict(
            python=random.getstate(), numpy=np.random.get_state(),
            torch=torch.get_rng_state(),
            cuda=torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        state = checkpoint.get('rng_state')
        if state is None:
            return
        random.setstate(state['python'])
        np.random.set_state(state['numpy'])
        torch.set_rng_state(state['torch'])
        if state.get('cuda') is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state['cuda'])
