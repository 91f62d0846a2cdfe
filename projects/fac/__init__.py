"""FAC: foreground-aware feature contrast for point clouds (work in progress, issue 4).

Present: segment providers (outdoor ground + clusters), the two losses, the correlation
module, the model and a CPU demo config. Not yet: indoor/superpoint/SAM providers,
paper-scale configs and the mmdet3d downstream.
"""
from .correlation import SegmentCorrelation
from .dataset import PointCloudFolder
from .fac import FAC
from .losses import foreground_background_contrast, foreground_point_contrast, segment_pool
from .sam_lifting import SAMLiftedSegments, build_sam, lift_masks
from .segments import (GroundClusterSegments, PrecomputedSegments, RegionGrowingSegments,
                       SegmentProvider)
from .transforms import ComputeSegments, PackTwoPointViews

__all__ = ['FAC', 'PointCloudFolder', 'SegmentProvider', 'GroundClusterSegments', 'PrecomputedSegments',
           'RegionGrowingSegments', 'SAMLiftedSegments', 'build_sam', 'lift_masks',
           'ComputeSegments', 'PackTwoPointViews', 'SegmentCorrelation',
           'foreground_point_contrast', 'foreground_background_contrast', 'segment_pool']
