"""PDBEV: parametric (Laplacian) depth lifting of multi-camera features to bird's-eye view
for 3D detection and BEV segmentation (Yang et al., ICCV 2023; docs/methods/pdbev.md)."""
from .heads import BEVSegHead, LaplacianDepthHead
from .lifting import (VoxelGrid, bevpool_lift, categorical_lift, column_occupancy, laplace_cdf,
                      laplace_pdf, lift, voxel_weights)
from .losses import depth_targets, laplace_nll
from .metrics import BEVDetSegMetric
from .model import PDBEV
from .transforms import (CheckBEVSample, LidarBEVVisibility, LoadBEVSegMap, PackBEVInputs,
                         ResizeCropMultiView)
from .visibility import box_visibility, laplacian_visibility, lidar_visibility

__all__ = ['BEVDetSegMetric', 'box_visibility', 'laplacian_visibility', 'lidar_visibility',
           'CheckBEVSample', 'LidarBEVVisibility', 'LoadBEVSegMap',
           'PackBEVInputs', 'ResizeCropMultiView', 'LaplacianDepthHead', 'depth_targets',
           'PDBEV', 'BEVSegHead', 'VoxelGrid', 'bevpool_lift', 'categorical_lift',
           'column_occupancy', 'laplace_cdf', 'laplace_nll', 'laplace_pdf', 'lift',
           'voxel_weights']
