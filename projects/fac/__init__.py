"""FAC: foreground-aware feature contrast for point clouds (work in progress, issue 4).

Present so far: segment providers, the two losses and the correlation module.
The model, two-view data pipeline, configs and downstream are not written yet.
"""
from .correlation import SegmentCorrelation
from .losses import foreground_background_contrast, foreground_point_contrast, segment_pool
from .segments import GroundClusterSegments, SegmentProvider

__all__ = ['SegmentProvider', 'GroundClusterSegments', 'SegmentCorrelation',
           'foreground_point_contrast', 'foreground_background_contrast', 'segment_pool']
