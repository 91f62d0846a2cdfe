from .sparse_seg import SparseSegDataPreprocessor
from .sparse_unet import SparseBasicBlock, SpUNet
from .voxelize import Voxels, collate_sparse, voxelize

__all__ = ['SpUNet', 'SparseBasicBlock', 'SparseSegDataPreprocessor', 'Voxels',
           'collate_sparse', 'voxelize']
