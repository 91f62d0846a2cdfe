"""Make spconv's backward pass usable without CUDA.

spconv 2.3 asks ``torch.cuda.current_stream()`` for a stream handle in every backward
kernel call, which raises on a CPU-only machine. On the CPU the stream handle is unused,
so returning ``0`` is enough. The patch is applied once, and only when CUDA is absent.
"""
import torch

_APPLIED = False


def apply_spconv_cpu_shim() -> bool:
    """Patch spconv for CPU training. Returns True when the patch is active."""
    global _APPLIED
    if _APPLIED:
        return True
    if torch.cuda.is_available():
        return False
    from spconv.pytorch import ops
    ops.get_current_stream = lambda: 0
    _APPLIED = True
    return True
