"""Laplacian depth head and LiDAR depth targets."""
import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from torch import Tensor, nn

from ..common.registry import register_in
from .lifting import project


@register_in('mmdet3d')
class LaplacianDepthHead(nn.Module):
    """Per pixel mu = ReLU(conv(x)) and b = ReLU(conv(x)) + min_scale [m].

    The two output convolutions start with biases ``mu_init`` and ``b_init`` [m] (not in
    the spec): starting mu near zero leaves half of the ReLUs dead and the depth far from
    the targets for thousands of steps.
    """

    def __init__(self, in_channels: int, mid_channels: int = 64, min_scale: float = 0.1,
                 mu_init: float = 10.0, b_init: float = 1.0):
        super().__init__()
        self.conv = ConvModule(in_channels, mid_channels, 3, padding=1,
                               norm_cfg=dict(type='BN'))
        self.mu = nn.Conv2d(mid_channels, 1, 1)
        self.b = nn.Conv2d(mid_channels, 1, 1)
        nn.init.constant_(self.mu.bias, mu_init)
        nn.init.constant_(self.b.bias, b_init)
        self.min_scale = min_scale

    def forward(self, x: Tensor):
        x = self.conv(x)
        return F.relu(self.mu(x))[:, 0], F.relu(self.b(x))[:, 0] + self.min_scale


def depth_targets(points: Tensor, lidar2img: Tensor, img_shape, stride: int,
                  depth_range=(1.0, 60.0)) -> Tensor:
    """(N, h, w) depth of the nearest LiDAR return per pixel of the stride-``stride`` map,
    0 where there is none. Returns outside ``depth_range`` are ignored (documented)."""
    h_img, w_img = img_shape
    h, w = -(-h_img // stride), -(-w_img // stride)
    uv, depth = project(points[:, :3], lidar2img)
    n = len(lidar2img)
    out = torch.full((n, h * w), float('inf'), device=points.device)
    u = (uv[..., 0] / stride).floor().long()
    v = (uv[..., 1] / stride).floor().long()
    keep = ((depth >= depth_range[0]) & (depth <= depth_range[1]) & (u >= 0) & (u < w)
            & (v >= 0) & (v < h))
    cam = torch.arange(n, device=points.device)[:, None].expand_as(u)
    out.view(-1).scatter_reduce_(0, (cam * h * w + v * w + u)[keep], depth[keep], 'amin')
    out[torch.isinf(out)] = 0
    return out.view(n, h, w)
