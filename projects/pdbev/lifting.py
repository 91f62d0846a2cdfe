"""Parametric (Laplacian) depth lifting of multi-camera features into a BEV grid.

Conventions: points and the voxel grid are in the LiDAR / ego frame (x forward, y left,
z up); ``lidar2img`` (4x4) maps them to pixels of the (input) image as
``(u * d, v * d, d, 1)`` with d the camera z-depth; depth means camera z-depth throughout.

A voxel's depth interval along a camera is where the camera ray through the voxel centre
enters and leaves the voxel (slab test), so the voxels a ray passes through centre by
centre tile its depth range and their probability masses add up to the probability that
the depth lies in the grid (tested).
"""
from collections import OrderedDict
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

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


def _project_voxels(centers: Tensor, lidar2img: Tensor, img_shape, canvas_shape,
                    align_corners: bool):
    """Each camera's view of points (P, 3): ``inside`` (N, P) (in front and within the image
    ``img_shape``), the normalised sampling grid (N, P, 2) over ``canvas_shape`` (default the
    image) and the camera depth (N, P)."""
    uv, depth = project(centers, lidar2img)
    h_img, w_img = img_shape
    edge = 0.0 if align_corners else 0.5  # how far past the outer pixel centres counts
    inside = ((depth > 1e-3) & (uv[..., 0] >= -edge) & (uv[..., 0] <= w_img - 1 + edge)
              & (uv[..., 1] >= -edge) & (uv[..., 1] <= h_img - 1 + edge))
    return inside, _normalised(uv, canvas_shape or img_shape, align_corners), depth


def voxel_weights(mu: Tensor, b: Tensor, lidar2img: Tensor, img_shape, grid: VoxelGrid,
                  centers=None, canvas_shape=None, mode: str = 'density',
                  align_corners: bool = False):
    """Every voxel's depth weight for every camera (dense; ``lift`` computes the same for
    the voxels each camera sees).

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
        inside, norm, depth = _project_voxels(centers, lidar2img, img_shape, canvas_shape,
                                              align_corners)
        if mode == 'mass':
            half = torch.tensor(grid.voxel_size, device=mu.device) / 2
            d0, d1 = voxel_depth_intervals(centers, half, camera_centers(lidar2img), depth)
    mu_v, b_v = F.grid_sample(torch.stack([mu, b], 1), norm[:, None], padding_mode='border',
                              align_corners=align_corners)[:, :, 0].unbind(1)
    if mode == 'mass':
        weight = (laplace_cdf(d1, mu_v, b_v) - laplace_cdf(d0, mu_v, b_v)).clamp(min=0)
    else:
        weight = laplace_pdf(depth, mu_v, b_v)
    return torch.where(inside, weight, torch.zeros_like(weight)), inside, norm


# the release's occupancy biases: o = (w + EPS_NUM) / (column sum + EPS_DEN)
EPS_NUM, EPS_DEN = 1e-3, 1e-2


def column_occupancy(weight: Tensor, inside: Tensor, eps_num: float = EPS_NUM,
                     eps_den: float = EPS_DEN, biased_sum: bool = True) -> Tensor:
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


def _gather(feats: Tensor, where: Tensor, align_corners: bool) -> Tensor:
    """(C, P): feats (C, h, w) bilinearly at normalised points ``where`` (P, 2), or feats
    (C, M) at flat indices ``where`` (P,)."""
    if where.dim() == 2:
        return _sample(feats, where, align_corners)
    return feats[:, where]


def _chunks(offsets, size: int):
    """(camera, slice) over the points of each camera [offsets[k], offsets[k + 1])."""
    for k in range(len(offsets) - 1):
        for start in range(offsets[k], offsets[k + 1], size):
            yield k, slice(start, min(start + size, offsets[k + 1]))


class ScatterWeighted(torch.autograd.Function):
    """out[:, cells[p]] += weights[p] * gather(feats[k], where[p]) for every point p of
    camera k (points offsets[k] to offsets[k + 1]; ``_gather``), in chunks of ``CHUNK``
    points, into one (C, num_cells) buffer, with gradients for the features (N, C, ...) and
    the weights. Nothing of size C x P is kept: the backward pass gathers again. ``out``,
    when given, is accumulated into in place (inference)."""
    CHUNK = 1 << 15

    @staticmethod
    def forward(ctx, feats: Tensor, weights: Tensor, where: Tensor, cells: Tensor,
                num_cells: int, offsets, align_corners: bool = False, out=None) -> Tensor:
        if out is None:
            out = feats.new_zeros(feats.shape[1], num_cells)
        for k, part in _chunks(offsets, ScatterWeighted.CHUNK):
            out.index_add_(1, cells[part],
                           _gather(feats[k], where[part], align_corners) * weights[part])
        ctx.save_for_backward(feats, weights, where, cells)
        ctx.offsets, ctx.align_corners = offsets, align_corners
        return out

    @staticmethod
    def backward(ctx, grad_out: Tensor):
        feats, weights, where, cells = ctx.saved_tensors
        grad_feats = torch.zeros_like(feats) if ctx.needs_input_grad[0] else None
        grad_weights = torch.zeros_like(weights) if ctx.needs_input_grad[1] else None
        for k, part in _chunks(ctx.offsets, ScatterWeighted.CHUNK):
            grad = grad_out[:, cells[part]]  # (C, chunk)
            with torch.enable_grad():
                leaf = feats[k].detach().requires_grad_(grad_feats is not None)
                gathered = _gather(leaf, where[part], ctx.align_corners)
                if grad_weights is not None:
                    grad_weights[part] = (grad * gathered.detach()).sum(0)
                if grad_feats is not None:
                    grad_feats[k] += torch.autograd.grad(gathered, leaf,
                                                         grad * weights[part])[0]
        return grad_feats, grad_weights, None, None, None, None, None, None


_GEOMETRY: 'OrderedDict[tuple, object]' = OrderedDict()
GEOMETRY_CACHE_SIZE = 4  # calibrations kept (fixed rigs: one; nuScenes: one per sample)


def _cached(kind: str, lidar2img: Tensor, grid: VoxelGrid, settings: tuple, build):
    """``build()`` once per (kind, calibration, grid, settings), the
    ``GEOMETRY_CACHE_SIZE`` most recently used kept."""
    key = (kind, lidar2img.detach().cpu().numpy().tobytes(), str(lidar2img.device),
           tuple(grid.point_cloud_range), tuple(grid.voxel_size), settings)
    if key in _GEOMETRY:
        _GEOMETRY.move_to_end(key)
        return _GEOMETRY[key]
    _GEOMETRY[key] = value = build()
    while len(_GEOMETRY) > GEOMETRY_CACHE_SIZE:
        _GEOMETRY.popitem(last=False)
    return value


@dataclass
class LiftGeometry:
    """What the calibration fixes in the lift, for all cameras together: the P seen
    (camera, voxel) pairs, camera by camera (camera k: ``offsets[k]`` to ``offsets[k + 1]``),
    each with its flat voxel index in Z * Y * X order, its column slot camera * Y * X +
    column, its sampling point (P, 2) in [-1, 1], its camera depth and, for the 'mass'
    occupancy, its depth interval (near, far); ``count`` (Y * X,): the cameras seeing each
    column, ``column`` (P,) each pair's column and ``share`` (P,) 1 / count there."""
    offsets: Tuple[int, ...]
    voxel: Tensor
    slot: Tensor
    where: Tensor
    depth: Tensor
    near: Optional[Tensor]
    far: Optional[Tensor]
    count: Tensor
    column: Tensor
    share: Tensor


def lift_geometry(lidar2img: Tensor, img_shape, grid: VoxelGrid, canvas_shape=None,
                  align_corners: bool = False, intervals: bool = False) -> LiftGeometry:
    """``LiftGeometry`` of these cameras, computed once per calibration and kept
    (``_cached``): the projection of a fixed grid into fixed cameras depends on nothing
    else. With per-sample calibrations (nuScenes' ego-motion-compensated lidar2cam) it is
    rebuilt for each sample."""
    settings = (tuple(img_shape), tuple(canvas_shape or img_shape), align_corners, intervals)
    return _cached('lift', lidar2img, grid, settings, lambda: _build_geometry(
        lidar2img, img_shape, grid, canvas_shape, align_corners, intervals))


def _build_geometry(lidar2img, img_shape, grid, canvas_shape, align_corners,
                    intervals) -> LiftGeometry:
    parts = []
    columns = grid.shape[1] * grid.shape[2]
    with torch.no_grad():
        centers = grid.centers(lidar2img.device).view(-1, 3)
        half = torch.tensor(grid.voxel_size, device=lidar2img.device) / 2
        for k in range(len(lidar2img)):  # one camera at a time: (P, .) temporaries only
            inside, where, depth = _project_voxels(centers, lidar2img[k:k + 1], img_shape,
                                                   canvas_shape, align_corners)
            voxel = inside[0].nonzero()[:, 0]
            part = dict(voxel=voxel, slot=k * columns + voxel % columns,
                        where=where[0, voxel], depth=depth[0, voxel])
            if intervals:
                part['near'], part['far'] = (d[0] for d in voxel_depth_intervals(
                    centers[voxel], half, camera_centers(lidar2img[k:k + 1]),
                    part['depth'][None]))
            parts.append(part)
        cat = {key: torch.cat([p[key] for p in parts]) for key in parts[0]}
        seen = torch.zeros(len(parts) * columns, dtype=torch.bool, device=lidar2img.device)
        seen[cat['slot']] = True
    offsets = tuple(int(x) for x in torch.tensor([0] + [len(p['voxel']) for p in parts]
                                                 ).cumsum(0))
    count = seen.view(len(parts), -1).sum(0)
    column = cat['slot'] % columns
    # (int64 indices: index_add_ and gathers with int32 ones were 1.6x slower on the CPU)
    return LiftGeometry(offsets, cat['voxel'], cat['slot'], cat['where'], cat['depth'],
                        cat.get('near'), cat.get('far'), count, column,
                        1 / count[column].to(cat['depth'].dtype))


def _occupancy(mu: Tensor, b: Tensor, geo: LiftGeometry, occupancy: str,
               align_corners: bool) -> Tensor:
    """Occupancy o of every seen (camera, voxel) pair (``lift``), divided by the number of
    cameras that see its column (the camera average folded in)."""
    mu_v, b_v = torch.cat([  # mu, b at every seen voxel, camera by camera
        F.grid_sample(torch.stack([mu[k], b[k]])[None],
                      geo.where[None, None, geo.offsets[k]:geo.offsets[k + 1]],
                      padding_mode='border', align_corners=align_corners)[0, :, 0]
        for k in range(len(mu))], 1)
    if occupancy == 'mass':
        weight = (laplace_cdf(geo.far, mu_v, b_v) - laplace_cdf(geo.near, mu_v, b_v)
                  ).clamp(min=0)
        total = weight
    else:
        weight = laplace_pdf(geo.depth, mu_v, b_v)
        total = weight + EPS_NUM
    column_sum = weight.new_zeros(len(mu) * len(geo.count)).index_add(0, geo.slot, total)
    return (weight + EPS_NUM) / (column_sum[geo.slot] + EPS_DEN) * geo.share


def lift(feats: Tensor, mu: Tensor, b: Tensor, lidar2img: Tensor, img_shape, grid: VoxelGrid,
         canvas_shape=None, occupancy: str = 'release', align_corners: bool = False):
    """Lift one sample's camera features into BEV.

    feats (N, C, h, w), mu / b (N, h, w) at the same stride, lidar2img (N, 4, 4) for the
    input image of size ``img_shape`` (H, W). For each camera, every voxel that projects
    inside the image in front of the camera gets a depth weight w and the bilinearly
    sampled feature (``align_corners``: the sampling convention, False as in the release;
    mu and b are sampled with border padding, features with zero padding, as there);
    features are weighted by the column occupancy o and summed over z, then averaged over
    the cameras that see the column.

    ``occupancy='release'`` (NVlabs/ParametricBEV): w is the Laplacian density at the
    voxel's depth, o = (w + 0.001) / (sum_z (w + 0.001) + 0.01). ``'mass'``: w is the
    Laplacian mass of the voxel's depth interval, o = (w + 0.001) / (sum_z w + 0.01).

    Only the voxels a camera sees are touched (``lift_geometry``, cached per calibration):
    mu, b are sampled there, and the features are gathered, weighted and added per column
    in chunks into one buffer (``ScatterWeighted``), so no (C, Z, Y, X) or (C, P) tensor
    is held, in training either. ``canvas_shape``: the padded batch image the maps cover
    (default ``img_shape``).

    Returns BEV features (C, Y, X), the camera-averaged occupancy (Z, Y, X) and the number
    of cameras seeing each column (Y, X).
    """
    if occupancy not in ('release', 'mass'):
        raise ValueError(f"PDBEV lift: occupancy must be 'release' or 'mass', got {occupancy!r}")
    c = feats.shape[1]
    zn, yn, xn = grid.shape
    geo = lift_geometry(lidar2img, img_shape, grid, canvas_shape, align_corners,
                        intervals=occupancy == 'mass')
    if torch.is_grad_enabled():  # keep o only; its P-sized intermediates are recomputed
        from torch.utils.checkpoint import checkpoint
        o_mean = checkpoint(_occupancy, mu, b, geo, occupancy, align_corners,
                            use_reentrant=False)
    else:
        o_mean = _occupancy(mu, b, geo, occupancy, align_corners)
    bev = ScatterWeighted.apply(feats, o_mean, geo.where, geo.column, yn * xn, geo.offsets,
                                align_corners)
    occ = o_mean.new_zeros(zn * yn * xn).index_add(0, geo.voxel, o_mean)
    return bev.view(c, yn, xn), occ.view(zn, yn, xn), geo.count.view(yn, xn)


def _frustum_cells(lidar2img: Tensor, img_shape, feat_shape, depth_bins: Tensor,
                   grid: VoxelGrid):
    """BEV cell (y * X + x) of every frustum point (N, D, h, w), flattened, and whether it
    lies in the grid. Each feature-map cell sits at the centre of the image pixels it pools
    (as in the parametric lift); a point at depth d of pixel (u, v) is lidar2img^-1 (u d,
    v d, d, 1)."""
    h, w = feat_shape
    h_img, w_img = img_shape
    v, u = torch.meshgrid((torch.arange(h, device=lidar2img.device) + 0.5) * h_img / h - 0.5,
                          (torch.arange(w, device=lidar2img.device) + 0.5) * w_img / w - 0.5,
                          indexing='ij')
    d = depth_bins.view(-1, 1, 1).expand(-1, h, w)
    pix = torch.stack([u.expand_as(d) * d, v.expand_as(d) * d, d, torch.ones_like(d)], -1)
    points = torch.einsum('nij,dhwj->ndhwi', torch.linalg.inv(lidar2img), pix)[..., :3]
    r, s = grid.point_cloud_range, grid.voxel_size
    zn, yn, xn = grid.shape
    ix, iy, iz = (((points[..., i] - r[i]) / s[i]).floor().long() for i in range(3))
    keep = (ix >= 0) & (ix < xn) & (iy >= 0) & (iy < yn) & (iz >= 0) & (iz < zn)
    return (iy * xn + ix).flatten(), keep.flatten()


def categorical_lift(feats: Tensor, depth_probs: Tensor, depth_bins: Tensor, lidar2img: Tensor,
                     img_shape, grid: VoxelGrid) -> Tensor:
    """LSS-style reference for the benchmark: per pixel a categorical depth over D bins, the
    outer product with the features (N, D, h, w, C), each frustum point splatted (summed)
    into its BEV cell. feats (N, C, h, w), depth_probs (N, D, h, w), depth_bins (D,)."""
    c = feats.shape[1]
    _, yn, xn = grid.shape
    cells, keep = _frustum_cells(lidar2img, img_shape, feats.shape[-2:], depth_bins, grid)
    volume = depth_probs[..., None] * feats.permute(0, 2, 3, 1)[:, None]  # (N, D, h, w, C)
    bev = feats.new_zeros(yn * xn, c)
    bev.index_add_(0, cells[keep], volume.reshape(-1, c)[keep])
    return bev.t().reshape(c, yn, xn)


def bevpool_lift(feats: Tensor, depth_probs: Tensor, depth_bins: Tensor, lidar2img: Tensor,
                 img_shape, grid: VoxelGrid) -> Tensor:
    """The same sum as ``categorical_lift``, BEVPoolv2-style: the frustum points' cells are
    computed once per calibration (the lift's geometry cache), and each point's feature x
    depth probability is added into its cell in chunks (``ScatterWeighted``), so no
    (N, D, h, w, C) tensor exists, in training either."""
    n, c, h, w = feats.shape
    _, yn, xn = grid.shape

    def build():
        with torch.no_grad():
            cells, keep = _frustum_cells(lidar2img, img_shape, (h, w), depth_bins, grid)
            point = keep.nonzero()[:, 0]  # flat (n, d, v, u) of the points in the grid
            d_count = len(depth_bins)
            pixel = point // (d_count * h * w) * (h * w) + point % (h * w)  # flat (n, v, u)
            return point, pixel, cells[point]
    settings = (tuple(img_shape), (h, w), depth_bins.detach().cpu().numpy().tobytes())
    point, pixel, cells = _cached('frustum', lidar2img, grid, settings, build)
    flat = feats.permute(1, 0, 2, 3).reshape(1, c, n * h * w)
    weights = depth_probs.reshape(-1)[point]
    return ScatterWeighted.apply(flat, weights, pixel, cells, yn * xn, (0, len(point))
                                 ).view(c, yn, xn)
