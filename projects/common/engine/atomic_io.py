"""Atomic local writes for everything mmengine saves (checkpoints, ``last_checkpoint``).

mmengine writes checkpoints through its file backend's ``put``; the stock local backend
opens the final path and writes into it, so a run killed mid-write leaves a truncated
file. This backend writes a temporary file in the same folder, fsyncs it and renames it
over the target, which POSIX guarantees to be atomic. A write that fails (a full disk)
removes its temporary file and raises one ``CheckpointError`` line.
"""
import os
import os.path as osp
import tempfile
from pathlib import Path
from typing import Union

from mmengine.fileio.backends import LocalBackend, register_backend

from ..errors import CheckpointError


_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write(data: Union[bytes, str], filepath: Union[str, Path],
                 encoding: str = 'utf-8') -> None:
    """Write ``data`` to ``filepath`` so readers see the old file or the whole new one."""
    filepath = str(filepath)
    folder = osp.dirname(osp.abspath(filepath))
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode(encoding)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f'.{osp.basename(filepath)}.', suffix='.tmp')
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the usual permissions
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, filepath)
    except BaseException as err:
        if osp.exists(tmp):
            os.remove(tmp)
        if isinstance(err, OSError):  # a full disk, a quota, a read-only folder
            raise CheckpointError(
                f'{filepath}: could not be written ({err.strerror or err}); nothing was '
                'replaced, so the previous file and earlier checkpoints are intact '
                '(--resume continues from the last one)') from err
        raise


def atomic_save_npy(array, filepath: Union[str, Path]) -> None:
    """``np.save`` through ``atomic_write``."""
    import io

    import numpy as np
    buffer = io.BytesIO()
    np.save(buffer, array)
    atomic_write(buffer.getvalue(), filepath)


class AtomicLocalBackend(LocalBackend):
    """mmengine's local backend with atomic ``put``/``put_text``."""

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        atomic_write(obj, filepath)

    def put_text(self, obj: str, filepath: Union[str, Path], encoding: str = 'utf-8') -> None:
        atomic_write(obj, filepath, encoding)


def use_atomic_local_backend() -> None:
    """Make mmengine's default local file backend the atomic one (idempotent)."""
    from mmengine.fileio import io as mmengine_io
    register_backend('local', AtomicLocalBackend, force=True, prefixes='')
    # Drop cached non-atomic instances so later look-ups build the new class.
    for key, backend in list(mmengine_io.backend_instances.items()):
        if type(backend) is LocalBackend:
            del mmengine_io.backend_instances[key]
