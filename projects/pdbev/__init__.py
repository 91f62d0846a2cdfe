"""PDBEV: parametric (Laplacian) depth lifting of multi-camera features to bird's-eye view
for 3D detection and BEV segmentation (Yang et al., ICCV 2023; spec:
shared/methods/pdbev.md)."""
from .data import CheckBEVSample, LoadBEVSegMap, PackBEVInputs, ResizeCropMultiView
from .depth import LaplacianDepthHead, depth_targets
from .detector import PDBEV, BEVSegHead
from .metrics import BEVDetSegMetric, box_visibility
from .lifting import (VoxelGrid, categorical_lift, column_occupancy, laplace_cdf, laplace_nll,
                      lift, project, voxel_masses)

__all__ = ['BEVDetSegMetric', 'box_visibility', 'CheckBEVSample', 'LoadBEVSegMap',
           'PackBEVInputs', 'ResizeCropMultiView',
           'LaplacianDepthHead', 'depth_targets', 'PDBEV', 'BEVSegHead', 'VoxelGrid',
           'categorical_lift', 'column_occupancy', 'laplace_cdf', 'laplace_nll', 'lift',
           'project', 'voxel_masses']
