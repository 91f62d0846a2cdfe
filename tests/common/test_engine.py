"""Atomic checkpoint writes, the non-finite-loss stop and RNG state round trips."""
import os
import random
from types import SimpleNamespace

import numpy as np
import pytest
import torch

import projects.common  # noqa: F401  (switches mmengine to atomic local writes)
from projects.common.engine import NonFiniteLossHook, RNGStateHook
from projects.common.errors import NonFiniteLossError
from projects.common.engine.atomic_io import AtomicLocalBackend, atomic_write
from projects.common.checkpoint import latest_checkpoint


def test_atomic_write_keeps_old_file_when_interrupted(tmp_path, monkeypatch):
    path = tmp_path / 'epoch_1.pth'
    atomic_write(b'old', path)

    def crash(fd):
        raise KeyboardInterrupt('killed while writing')

    monkeypatch.setattr(os, 'fsync', crash)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(b'new-and-longer', path)
    assert path.read_bytes() == b'old'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['epoch_1.pth']  # no temp left


def test_mmengine_checkpoints_go_through_atomic_backend(tmp_path):
    from mmengine.fileio import get_file_backend
    from mmengine.runner.checkpoint import save_checkpoint
    assert isinstance(get_file_backend(str(tmp_path / 'a.pth')), AtomicLocalBackend)
    save_checkpoint({'state_dict': {'w': torch.ones(2)}}, str(tmp_path / 'a.pth'))
    loaded = torch.load(tmp_path / 'a.pth', weights_only=False)
    assert torch.equal(loaded['state_dict']['w'], torch.ones(2))


def test_latest_checkpoint_falls_back_when_pointer_is_broken(tmp_path):
    assert latest_checkpoint(str(tmp_path)) is None
    (tmp_path / 'epoch_1.pth').write_bytes(b'1')
    (tmp_path / 'epoch_2.pth').write_bytes(b'2')
    os.utime(tmp_path / 'epoch_1.pth', (1, 1))
    (tmp_path / 'last_checkpoint').write_text('')  # truncated pointer
    assert latest_checkpoint(str(tmp_path)).endswith('epoch_2.pth')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_1.pth'))
    assert latest_checkpoint(str(tmp_path)).endswith('epoch_1.pth')


def test_non_finite_loss_names_iteration_and_term():
    hook = NonFiniteLossHook()
    runner = SimpleNamespace(iter=6, epoch=1)
    hook.after_train_iter(runner, 0, outputs={'loss_a': torch.tensor(1.0)})
    with pytest.raises(NonFiniteLossError, match=r'iteration 7 \(epoch 2\): loss_b = nan'):
        hook.after_train_iter(runner, 0, outputs={'loss_a': torch.tensor(1.0),
                                                  'loss_b': torch.tensor(float('nan'))})
    with pytest.raises(NonFiniteLossError, match='loss = inf'):
        hook.after_train_iter(runner, 0, outputs={'loss': torch.tensor(float('inf'))})


def test_rng_state_round_trip():
    hook, checkpoint = RNGStateHook(), {}
    hook.before_save_checkpoint(None, checkpoint)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    hook.after_load_checkpoint(None, checkpoint)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == first


def test_atomic_write_uses_normal_permissions(tmp_path):
    path = tmp_path / 'a.pth'
    atomic_write(b'x', path)
    umask = os.umask(0)
    os.umask(umask)
    assert (path.stat().st_mode & 0o777) == (0o666 & ~umask)
