"""One explicit set-up call for everything that changes a library's global behaviour.

Importing the suite changes nothing outside it. The tools (and the test suite) call
``setup_runtime()`` once before building a Runner:

* mmengine's local file backend writes atomically (a killed run never leaves a truncated
  checkpoint or ``last_checkpoint``);
* checkpoints are read with ``weights_only=True`` (``safe_load.py``: nothing in a file can
  run code; ``--unsafe-load`` for files you trust) and the Runner writes its message-hub
  buffers as plain data so that its own checkpoints pass; a ``Pretrained`` init that fits
  less than half of the module's weights stops with one line;
* ``--resume`` needs weights that fit the config's model exactly and names what does not
  fit in one line (``engine/resume.py``);
* without CUDA, spconv's backward gets the stream handle it asks for (CPU training).

Scripts that build mmengine's ``Runner`` themselves call it too.
"""
from .engine.atomic_io import use_atomic_local_backend
from .engine.resume import use_checked_resume
from .safe_load import use_safe_checkpoint_io
from .spconv_cpu import apply_spconv_cpu_shim


def setup_runtime() -> None:
    """Apply the suite's process-wide settings (idempotent)."""
    use_atomic_local_backend()
    use_safe_checkpoint_io()
    use_checked_resume()
    apply_spconv_cpu_shim()
