"""FAC: foreground-aware feature contrast for point clouds (work in progress, issue 4).

Present so far: segment providers. The losses, model and configs are not written yet.
"""
from .segments import GroundClusterSegments, SegmentProvider

__all__ = ['SegmentProvider', 'GroundClusterSegments']
