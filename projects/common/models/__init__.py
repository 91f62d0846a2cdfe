from .sparse_unet import SparseBasicBlock, SparseUNet

__all__ = ['SparseUNet', 'SparseBasicBlock']
