"""PDBEV's depth supervision: LiDAR depth targets per feature-map pixel and the Laplacian
negative log-likelihood."""
import torch
from torch import Tensor

from ..common.cameras import project


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


def laplace_nll(mu: Tensor, b: Tensor, depth: Tensor) -> Tensor:
    """Mean over pixels with a LiDAR return (depth > 0) of |mu - d| / b + log b (the
    Laplacian negative log-likelihood up to log 2); 0 without any return."""
    valid = depth > 0
    if not valid.any():
        return mu.sum() * 0
    return ((mu - depth).abs() / b + torch.log(b))[valid].mean()
