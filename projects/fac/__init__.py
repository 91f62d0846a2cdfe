"""FAC: foreground-aware feature contrast for point clouds (Liu et al., CVPR 2023).

Segment providers (outdoor ground + clusters, region growing, precomputed superpoints,
segment-anything masks lifted to points), the two losses, the segment correlation module,
the model, and the point-cloud folder dataset.
"""
from .correlation import SegmentCorrelation
from .dataset import PointCloudFolder
from .fac import FAC
from .losses import foreground_background_contrast, foreground_point_contrast, segment_pool
from .sam_lifting import SAMLiftedSegments, build_sam, lift_masks
from .segments import (GroundClusterSegments, PrecomputedSegments, RegionGrowingSegments,
                       SegmentProvider)
from .transforms import ComputeSegments, PackTwoPointViews

__all__ = ['FAC', 'PointCloudFolder', 'SegmentProvider', 'GroundClusterSegments',
           'PrecomputedSegments', 'RegionGrowingSegments', 'SAMLiftedSegments', 'build_sam',
           'lift_masks', 'ComputeSegments', 'PackTwoPointViews', 'SegmentCorrelation',
           'foreground_point_contrast', 'foreground_background_contrast', 'segment_pool']
