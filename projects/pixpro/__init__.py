"""PixPro: pixel-level contrast and pixel-to-propagation consistency (Xie et al., CVPR 2021)."""
from .heads import PixContrastHead, PixProHead
from .modules import ConvMLPNeck, PixelPropagation
from .pixpro import PixPro
from .transforms import RandomFlipCoord, RandomResizedCropCoord, TwoViewsWithCoords

__all__ = ['PixPro', 'PixProHead', 'PixContrastHead', 'ConvMLPNeck', 'PixelPropagation',
           'RandomResizedCropCoord', 'RandomFlipCoord', 'TwoViewsWithCoords']
