"""Pictures people would rather see than read: PCA colourings of dense features."""
import numpy as np
import torch
from torch import Tensor


def feature_pca_rgb(feats: Tensor, out_size=None) -> np.ndarray:
    """(C, H, W) features -> (H, W, 3) uint8: first three principal components as RGB.

    Each component is min-max scaled to [0, 255]; ``out_size`` (h, w) resizes (nearest).
    """
    c, h, w = feats.shape
    x = feats.detach().float().reshape(c, -1).T  # (HW, C)
    x = x - x.mean(0, keepdim=True)
    _, _, v = torch.pca_lowrank(x, q=min(3, c), center=False)
    proj = x @ v[:, :3]  # (HW, 3)
    if proj.shape[1] < 3:
        proj = torch.cat([proj, proj.new_zeros(proj.shape[0], 3 - proj.shape[1])], 1)
    lo, hi = proj.min(0).values, proj.max(0).values
    proj = (proj - lo) / (hi - lo).clamp(min=1e-8)
    img = proj.reshape(h, w, 3)
    if out_size is not None:
        img = torch.nn.functional.interpolate(img.permute(2, 0, 1)[None], size=out_size,
                                              mode='nearest')[0].permute(1, 2, 0)
    return (img.numpy() * 255).round().astype(np.uint8)
