"""FAC: foreground-aware feature contrast for point clouds (Liu et al., CVPR 2023;
docs/methods/fac.md).

Segment providers (outdoor ground + clusters, region growing, precomputed superpoints,
segment-anything masks lifted to points), the projector neck, the head with its segment
correlation module and two losses, the model, and the point-cloud folder dataset.
"""
from .correlation import SegmentCorrelation
from .datasets import PointCloudFolder
from .heads import FACHead
from .losses import foreground_background_contrast, foreground_point_contrast, segment_pool
from .model import FAC
from .necks import PointProjectorNeck
from .sam_lifting import SAMLiftedSegments, lift_masks
from .segments import (GroundClusterSegments, PrecomputedSegments, RegionGrowingSegments,
                       SegmentProvider)
from .transforms import ComputeSegments, PackTwoPointViews

__all__ = ['FAC', 'FACHead', 'PointProjectorNeck', 'PointCloudFolder', 'SegmentProvider',
           'GroundClusterSegments', 'PrecomputedSegments', 'RegionGrowingSegments',
           'SAMLiftedSegments', 'lift_masks', 'ComputeSegments', 'PackTwoPointViews',
           'SegmentCorrelation', 'foreground_point_contrast', 'foreground_background_contrast',
           'segment_pool']
