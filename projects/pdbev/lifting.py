"""Parametric (Laplacian) depth lifting of multi-camera features into a BEV grid.

Conventions: points and the voxel grid are in the LiDAR / ego frame (x forward, y left,
z up); ``lidar2img`` (4x4) maps them to pixels of the (input) image as
``(u * d, v * d, d, 1)`` with d the camera z-depth; depth means camera z-depth throughout.

A voxel's depth interval along a camera is where the camera ray through the voxel centre
enters and leaves the voxel (slab test), so the voxels a ray passes through centre by
centre tile its depth range and their probability masses add up to the probability that
the depth lies in the grid (tested).
"""
from dataclasses import dataclass
from typing import Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

from ..common.cameras import camera_centers, project


@dataclass(frozen=True)
class VoxelGrid:
    """``point_cloud_range`` (x0, y0, z0, x1, y1, z1) [m] and ``voxel_size`` (dx, dy, dz)."""
    point_cloud_range: Sequence[float] = (-50.0, -50.0, -5.0, 50.0, 50.0, 1.0)
    voxel_size: Sequence[float] = (0.25, 0.25, 0.5)

    @property
    def shape(self) -> Tuple[int, int, int]:
        """(Z, Y, X) cells."""
        r, s = self.point_cloud_range, self.voxel_size
        return tuple(int(round((r[i + 3] - r[i]) / s[i])) for i in (2, 1, 0))

    def centers(self, device=None) -> Tensor:
        """(Z, Y, X, 3) voxel centres (x, y, z)."""
        r, s = self.point_cloud_range, self.voxel_size
        zs, ys, xs = (r[i] + (torch.arange(n, device=device) + 0.5) * s[i]
                      for i, n in zip((2, 1, 0), self.shape))
        z, y, x = torch.meshgrid(zs, ys, xs, indexing='ij')
        return torch.stack([x, y, z], -1)


def laplace_cdf(x: Tensor, mu: Tensor, b: Tensor) -> Tensor:
    """CDF of Laplace(mu, b) at x."""
    z = (x - mu) / b
    return torch.where(z < 0, 0.5 * torch.exp(z.clamp(max=0)),
                       1 - 0.5 * torch.exp(-z.clamp(min=0)))


def voxel_depth_intervals(centers: Tensor, half: Tensor, cam_center: Tensor,
                          depth: Tensor) -> Tuple[Tensor, Tensor]:
    """Entry and exit depths (N, P) of the ray from each camera centre (N, 3) through each
    voxel centre (P, 3) in the voxel box (half sizes ``half`` (3,)); ``depth`` (N, P) is
    the centre's camera depth, so the ray is parametrised by depth."""
    direction = (centers[None] - cam_center[:, None]) / depth.clamp(min=1e-5)[..., None]
    safe = torch.where(direction.abs() < 1e-9, torch.full_like(direction, 1e-9), direction)
    t0 = (centers[None] - half - cam_center[:, None]) / safe
    t1 = (centers[None] + half - cam_center[:, None]) / safe
    return torch.minimum(t0, t1).amax(-1), torch.maximum(t0, t1).amin(-1)


def laplace_pdf(x: Tensor, mu: Tensor, b: Tensor) -> Tensor:
    """Density of Laplace(mu, b) at x."""
    return torch.exp(-(x - mu).abs() / b) / (2 * b)


def _normalised(uv: Tensor, size, align_corners: bool) -> Tensor:
    """Pixel coordinates (pixel centres at integers) -> grid_sample's [-1, 1]."""
    h, w = size
    scale = uv.new_tensor([w, h])
    if align_corners:  # [-1, 1] spans the first to the last pixel centre
        return uv / (scale - 1) * 2 - 1
    return (2 * uv + 1) / scale - 1  # [-1, 1] spans the outer pixel edges


def voxel_weights(mu: Tensor, b: Tensor, lidar2img: Tensor, img_shape, grid: VoxelGrid,
                  centers=None, canvas_shape=None, mode: str = 'density',
                  align_corners: bool = False):
    """Every voxel's depth weight for every camera.

    ``mode='density'`` (the release): the Laplacian density at the voxel centre's depth;
    ``'mass'``: the Laplacian mass of the depth interval the camera ray spends in the voxel.
    mu / b (N, h, w) cover the input image (H, W) = ``img_shape`` at any stride; they are
    sampled bilinearly, with the corner convention ``align_corners`` (the release: False,
    which puts each map cell at the centre of the image pixels it pools, as the depth
    targets do). Returns weights (N, P) (0 for voxels a camera does not see), ``inside``
    (N, P) bool and the normalised sampling grid (N, P, 2); P = Z * Y * X in grid order, or
    the given ``centers`` (P, 3). ``canvas_shape``: the (padded) image the maps cover, when
    larger than the image; voxels count as seen only inside ``img_shape``.
    """
    if mode not in ('density', 'mass'):
        raise ValueError(f"PDBEV lift: occupancy mode must be 'density' or 'mass', got {mode!r}")
    with torch.no_grad():  # geometry: fixed calibration, no gradient (nor its memory)
        centers = grid.centers(mu.device).view(-1, 3) if centers is None else centers
        uv, depth = project(centers, lidar2img)
        h_img, w_img = img_shape
        edge = 0.0 if align_corners else 0.5  # how far past the outer pixel centres counts
        inside = ((depth > 1e-3) & (uv[..., 0] >= -edge) & (uv[..., 0] <= w_img - 1 + edge)
                  & (uv[..., 1] >= -edge) & (uv[..., 1] <= h_img - 1 + edge))
        norm = _normalised(uv, canvas_shape or img_shape, align_corners)
        if mode == 'mass':
            half = torch.tensor(grid.voxel_size, device=mu.device) / 2
            d0, d1 = voxel_depth_intervals(centers, half, camera_centers(lidar2img), depth)
    mu_v, b_v = F.grid_sample(torch.stack([mu, b], 1), norm[:, None],
                              align_corners=align_corners)[:, :, 0].unbind(1)
    if mode == 'mass':
        weight = (laplace_cdf(d1, mu_v, b_v) - laplace_cdf(d0, mu_v, b_v)).clamp(min=0)
    else:
        weight = laplace_pdf(depth, mu_v, b_v)
    return torch.where(inside, weight, torch.zeros_like(weight)), inside, norm


def column_occupancy(weight: Tensor, inside: Tensor, eps_num: float = 1e-3,
                     eps_den: float = 1e-2, biased_sum: bool = True) -> Tensor:
    """Occupancy of each voxel of a column from its weight w; weight / inside (N, Z, Y*X);
    0 where the camera does not see the voxel.

    ``biased_sum`` (the release): o = (w + eps_num) / (sum_z (w + eps_num) + eps_den), the
    sum over the voxels the camera sees, so a column without depth mass stays below 1
    (12 levels: 12 x 0.001 / 0.022 = 0.55). Otherwise o = (w + eps_num) / (sum_z w +
    eps_den), where such a column gets 12 x 0.1 = 1.2, more than an occupied one.
    """
    biased = torch.where(inside, weight + eps_num, torch.zeros_like(weight))
    total = biased.sum(1, keepdim=True) if biased_sum else weight.sum(1, keepdim=True)
    return biased / (total + eps_den)


def _sample(feats: Tensor, grid: Tensor, align_corners: bool = False) -> Tensor:
    """feats (C, h, w) bilinearly at grid (P, 2) in [-1, 1] -> (C, P)."""
    return F.grid_sample(feats[None], grid[None, None], align_corners=align_corners)[0, :, 0]


class WeightedSampleSum(torch.autograd.Function):
    """sum_z weights[z] * sample(feats, grids[z]) -> (C, P), with gradients for the
    features and the weights, keeping neither the Z sampled maps nor their graphs: the
    backward pass samples again. Columns go in chunks of ``CHUNK`` so that temporaries stay
    small; ``out`` (C, P), when given, is accumulated into in place (inference)."""
    CHUNK = 1 << 15

    @staticmethod
    def forward(ctx, feats: Tensor, weights: Tensor, grids: Tensor, out=None,
                align_corners: bool = False) -> Tensor:
        if out is None:
            out = feats.new_zeros(feats.shape[0], grids.shape[1])
        for start in range(0, grids.shape[1], WeightedSampleSum.CHUNK):
            cols = slice(start, start + WeightedSampleSum.CHUNK)
            for z in range(len(grids)):
                out[:, cols].addcmul_(_sample(feats, grids[z, cols], align_corners),
                                      weights[z, cols])
        ctx.save_for_backward(feats, weights, grids)
        ctx.align_corners = align_corners
        return out

    @staticmethod
    def backward(ctx, grad_out: Tensor):
        feats, weights, grids = ctx.saved_tensors
        grad_feats = torch.zeros_like(feats) if ctx.needs_input_grad[0] else None
        grad_weights = torch.zeros_like(weights) if ctx.needs_input_grad[1] else None
        for start in range(0, grids.shape[1], WeightedSampleSum.CHUNK):
            cols = slice(start, start + WeightedSampleSum.CHUNK)
            for z in range(len(grids)):
                with torch.enable_grad():
                    leaf = feats.detach().requires_grad_(grad_feats is not None)
                    sampled = _sample(leaf, grids[z, cols], ctx.align_corners)
                    if grad_weights is not None:
                        grad_weights[z, cols] = (grad_out[:, cols] * sampled.detach()).sum(0)
                    if grad_feats is not None:
                        grad_feats += torch.autograd.grad(
                            sampled, leaf, grad_out[:, cols] * weights[z, cols])[0]
        return grad_feats, grad_weights, None, None, None


def _lift_camera(feats: Tensor, mu: Tensor, b: Tensor, lidar2img: Tensor, img_shape,
                 grid: VoxelGrid, centers: Tensor, canvas_shape=None, out=None,
                 occupancy: str = 'release', align_corners: bool = False):
    """One camera: (C, Y*X) o-weighted features summed over z (0 in columns it does not
    see; added into ``out`` when given), occupancy (Z, Y*X) and whether it sees each column
    (Y*X); ``centers`` (Z, Y*X, 3). Works one height at a time, so the temporaries are
    (Y*X)-sized."""
    mode = 'density' if occupancy == 'release' else 'mass'
    slices = [voxel_weights(mu[None], b[None], lidar2img[None], img_shape, grid, c,
                            canvas_shape, mode, align_corners) for c in centers]
    weight = torch.stack([w[0] for w, _, _ in slices])
    inside = torch.stack([i[0] for _, i, _ in slices])
    occ = column_occupancy(weight[None], inside[None],
                           biased_sum=occupancy == 'release')[0]  # 0 where not seen
    grids = torch.stack([g[0] for _, _, g in slices])
    return (WeightedSampleSum.apply(feats, occ, grids, out, align_corners), occ,
            inside.any(0))


def lift(feats: Tensor, mu: Tensor, b: Tensor, lidar2img: Tensor, img_shape, grid: VoxelGrid,
         checkpoint: bool = True, canvas_shape=None, occupancy: str = 'release',
         align_corners: bool = False):
    """Lift one sample's camera features into BEV.

    feats (N, C, h, w), mu / b (N, h, w) at the same stride, lidar2img (N, 4, 4) for the
    input image of size ``img_shape`` (H, W). For each camera, every voxel that projects
    inside the image in front of the camera gets a depth weight w and the bilinearly
    sampled feature (``align_corners``: the sampling convention, False as in the release);
    features are weighted by the column occupancy o and summed over z, then averaged over
    the cameras that see the column.

    ``occupancy='release'`` (NVlabs/ParametricBEV): w is the Laplacian density at the
    voxel's depth, o = (w + 0.001) / (sum_z (w + 0.001) + 0.01). ``'mass'``: w is the
    Laplacian mass of the voxel's depth interval, o = (w + 0.001) / (sum_z w + 0.01).

    Cameras are lifted one at a time (recomputed in the backward pass when
    ``checkpoint``), so memory does not grow with the camera count. ``canvas_shape``: the
    padded batch image the maps cover (default ``img_shape``).

    Returns BEV features (C, Y, X), the camera-averaged occupancy (Z, Y, X) and the number
    of cameras seeing each column (Y, X).
    """
    from torch.utils.checkpoint import checkpoint as recompute
    if occupancy not in ('release', 'mass'):
        raise ValueError(f"PDBEV lift: occupancy must be 'release' or 'mass', got {occupancy!r}")
    zn, yn, xn = grid.shape
    grad = torch.is_grad_enabled()
    bev = None if grad else feats.new_zeros(feats.shape[1], yn * xn)
    occ = count = 0
    centers = grid.centers(feats.device).flatten(1, 2)  # (Z, Y*X, 3), shared by the cameras
    settings = dict(occupancy=occupancy, align_corners=align_corners)
    for k in range(len(feats)):
        args = (feats[k], mu[k], b[k], lidar2img[k], img_shape, grid, centers, canvas_shape)
        if not grad:  # features go straight into one buffer
            _, o, seen = _lift_camera(*args, out=bev, **settings)
        elif checkpoint:
            f, o, seen = recompute(_lift_camera, *args, use_reentrant=False, **settings)
        else:
            f, o, seen = _lift_camera(*args, **settings)
        if grad:  # f is 0 in the columns this camera does not see
            bev = f if bev is None else bev + f
        occ, count = occ + o, count + seen
    bev, occ = bev / count.clamp(min=1), occ / count.clamp(min=1)
    return bev.view(-1, yn, xn), occ.view(zn, yn, xn), count.view(yn, xn)


def categorical_lift(feats: Tensor, depth_probs: Tensor, depth_bins: Tensor, lidar2img: Tensor,
                     img_shape, grid: VoxelGrid) -> Tensor:
    """LSS-style reference for the benchmark: per pixel a categorical depth over D bins, the
    outer product with the features (N, D, h, w, C), each frustum point splatted (summed)
    into its BEV cell. feats (N, C, h, w), depth_probs (N, D, h, w), depth_bins (D,)."""
    n, c, h, w = feats.shape
    h_img, w_img = img_shape
    # each map cell at the centre of the image pixels it pools (as the parametric lift)
    v, u = torch.meshgrid((torch.arange(h, device=feats.device) + 0.5) * h_img / h - 0.5,
                          (torch.arange(w, device=feats.device) + 0.5) * w_img / w - 0.5,
                          indexing='ij')
    d = depth_bins.view(-1, 1, 1).expand(-1, h, w)
    pix = torch.stack([u.expand_as(d) * d, v.expand_as(d) * d, d, torch.ones_like(d)], -1)
    points = torch.einsum('nij,dhwj->ndhwi', torch.linalg.inv(lidar2img), pix)[..., :3]
    volume = depth_probs[..., None] * feats.permute(0, 2, 3, 1)[:, None]  # (N, D, h, w, C)
    r, s = grid.point_cloud_range, grid.voxel_size
    zn, yn, xn = grid.shape
    ix = ((points[..., 0] - r[0]) / s[0]).floor().long()
    iy = ((points[..., 1] - r[1]) / s[1]).floor().long()
    iz = ((points[..., 2] - r[2]) / s[2]).floor().long()
    keep = (ix >= 0) & (ix < xn) & (iy >= 0) & (iy < yn) & (iz >= 0) & (iz < zn)
    bev = feats.new_zeros(yn * xn, c)
    bev.index_add_(0, (iy * xn + ix)[keep], volume[keep])
    return bev.t().reshape(c, yn, xn)
