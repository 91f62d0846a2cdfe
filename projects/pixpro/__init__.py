"""PixPro: pixel-level contrast and pixel-to-propagation consistency (Xie et al., CVPR 2021)."""
from .heads import PixContrastHead, PixProHead
from .model import PixPro
from .necks import ConvMLPNeck
from .propagation import PixelPropagation
from .transforms import RandomFlipCoord, RandomResizedCropCoord, TwoViewsWithCoords

__all__ = ['PixPro', 'PixProHead', 'PixContrastHead', 'ConvMLPNeck', 'PixelPropagation',
           'RandomResizedCropCoord', 'RandomFlipCoord', 'TwoViewsWithCoords']
