"""One explicit set-up call for everything that changes a library's global behaviour.

Importing the suite changes nothing outside it. The tools (and the test suite) call
``setup_runtime()`` once before building a Runner:

* mmengine's local file backend writes atomically (a killed run never leaves a truncated
  checkpoint or ``last_checkpoint``);
* mmengine's local checkpoint loader reads resume checkpoints written by torch < 2.6-style
  pickles (message hub and RNG states);
* without CUDA, spconv's backward gets the stream handle it asks for (CPU training).

Scripts that build mmengine's ``Runner`` themselves call it too.
"""
from .engine.atomic_io import use_atomic_local_backend, use_full_checkpoint_loading
from .spconv_cpu import apply_spconv_cpu_shim


def setup_runtime() -> None:
    """Apply the suite's process-wide settings (idempotent)."""
    use_atomic_local_backend()
    use_full_checkpoint_loading()
    apply_spconv_cpu_shim()
