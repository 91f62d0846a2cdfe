from .sparse_unet import SparseBasicBlock, SpUNet

__all__ = ['SpUNet', 'SparseBasicBlock']
