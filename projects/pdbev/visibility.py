"""Visibility on the BEV grid: from the LiDAR (model-independent, for evaluation) and from
the predicted Laplacian depth (the release's hard and soft maps).

LiDAR (``lidar_visibility``, once per sample): a BEV cell is *visible* when a LiDAR ray,
from the sensor (the LiDAR frame's origin) to a return, passes through it or ends in it,
in x-y, with the segment clipped to the grid and traversed exactly (Amanatides & Woo).
Every other cell is *occluded*: behind all returns in its direction, or never reached.

Box visibility (``box_visibility``): the fraction of a box's footprint cells (cells whose
centre lies in the rotated rectangle; the centre's cell when none does) whose line of sight
from the sensor crosses only visible cells before it enters the box. It depends on the
ground truth only, so two models are scored on the same bins.

Predicted (``laplacian_visibility``; NVlabs/ParametricBEV's extra outputs): for camera k and
a voxel it sees at camera depth d, with (mu, b) sampled at its pixel, *hard*: occluded if
d > mu; *soft*: occluded with probability F(d), the Laplacian CDF (the chance that the first
surface lies in front of the voxel). Hard visibility of a column = 1 - [some camera finds
every voxel of the column occluded] (voxels a camera does not see count as not occluded
there, as in the release); soft visibility = 1 - min over cameras and heights of F, with
unseen voxels at F = 1 (the release then min-max normalises the soft map for display;
this does not).
"""
import numba
import numpy as np
import torch
import torch.nn.functional as F

from .lifting import VoxelGrid, _project_voxels, laplace_cdf


def _plane(grid: VoxelGrid):
    """(x0, y0, dx, dy, nx, ny) of the grid's x-y plane."""
    r, s = grid.point_cloud_range, grid.voxel_size
    _, ny, nx = grid.shape
    return float(r[0]), float(r[1]), float(s[0]), float(s[1]), nx, ny


@numba.njit(cache=True, nogil=True)
def _traverse(ox, oy, px, py, x0, y0, dx, dy, nx, ny, rows, cols):
    """Cells (rows[:n], cols[:n]) of the segment (ox, oy) -> (px, py) clipped to the grid,
    in order from the origin; returns n."""
    ddx, ddy = px - ox, py - oy
    t0, t1 = 0.0, 1.0
    for p, q in ((-ddx, ox - x0), (ddx, x0 + nx * dx - ox),
                 (-ddy, oy - y0), (ddy, y0 + ny * dy - oy)):
        if p == 0.0:
            if q < 0.0:
                return 0
        elif p < 0.0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
    if t0 > t1:
        return 0
    cx = min(max(int(np.floor((ox + t0 * ddx - x0) / dx)), 0), nx - 1)
    cy = min(max(int(np.floor((oy + t0 * ddy - y0) / dy)), 0), ny - 1)
    ex = min(max(int(np.floor((ox + t1 * ddx - x0) / dx)), 0), nx - 1)
    ey = min(max(int(np.floor((oy + t1 * ddy - y0) / dy)), 0), ny - 1)
    step_x, step_y = (1 if ddx > 0 else -1), (1 if ddy > 0 else -1)
    if ddx != 0.0:
        t_max_x = (x0 + (cx + (ddx > 0)) * dx - ox) / ddx
        t_delta_x = dx / abs(ddx)
    else:
        t_max_x, t_delta_x = np.inf, np.inf
    if ddy != 0.0:
        t_max_y = (y0 + (cy + (ddy > 0)) * dy - oy) / ddy
        t_delta_y = dy / abs(ddy)
    else:
        t_max_y, t_delta_y = np.inf, np.inf
    n = 0
    while True:
        rows[n], cols[n] = cy, cx
        n += 1
        if (cx == ex and cy == ey) or n == len(rows) or min(t_max_x, t_max_y) > t1:
            return n
        if t_max_x < t_max_y:
            cx += step_x
            t_max_x += t_delta_x
        else:
            cy += step_y
            t_max_y += t_delta_y
        if cx < 0 or cx >= nx or cy < 0 or cy >= ny:
            return n


@numba.njit(cache=True, nogil=True)
def _cast(points, ox, oy, x0, y0, dx, dy, nx, ny, seen):
    rows = np.empty(nx + ny + 2, np.int64)
    cols = np.empty(nx + ny + 2, np.int64)
    for i in range(len(points)):
        n = _traverse(ox, oy, points[i, 0], points[i, 1], x0, y0, dx, dy, nx, ny, rows, cols)
        for j in range(n):
            seen[rows[j], cols[j]] = True


def lidar_visibility(points: np.ndarray, grid: VoxelGrid, origin=(0.0, 0.0)) -> np.ndarray:
    """(Y, X) bool: the BEV cells a LiDAR ray from ``origin`` to one of ``points`` (N, >= 2;
    x, y in the grid's frame) passes through or ends in (module docstring)."""
    x0, y0, dx, dy, nx, ny = _plane(grid)
    seen = np.zeros((ny, nx), bool)
    xy = np.ascontiguousarray(np.asarray(points)[:, :2], np.float64)
    _cast(xy, float(origin[0]), float(origin[1]), x0, y0, dx, dy, nx, ny, seen)
    return seen


@numba.njit(cache=True, nogil=True)
def _lines_of_sight(targets, inside_box, ox, oy, x0, y0, dx, dy, nx, ny, seen):
    """For each target cell centre: 1 if every cell on the way from the origin is seen until
    the first cell of the box (``inside_box`` (ny, nx) marks the footprint), else 0."""
    rows = np.empty(nx + ny + 2, np.int64)
    cols = np.empty(nx + ny + 2, np.int64)
    out = np.zeros(len(targets))
    for i in range(len(targets)):
        n = _traverse(ox, oy, targets[i, 0], targets[i, 1], x0, y0, dx, dy, nx, ny, rows, cols)
        for j in range(n):
            if inside_box[rows[j], cols[j]]:
                out[i] = 1.0
                break
            if not seen[rows[j], cols[j]]:
                break
    return out


def box_rows(boxes) -> np.ndarray:
    """mmdet3d boxes as (N, 7) rows x, y, z (gravity centre), l, w, h, yaw."""
    if not len(boxes):
        return np.zeros((0, 7))
    return np.concatenate([boxes.gravity_center.cpu().numpy(),
                           boxes.tensor[:, 3:7].cpu().numpy()], 1)


def box_footprint(box: np.ndarray, grid: VoxelGrid) -> np.ndarray:
    """(Y, X) bool: cells whose centre lies in the box's rotated rectangle (x, y, z, l, w, h,
    yaw); the cell of the box centre when none does (empty outside the grid). Only the box's
    bounding window is examined."""
    x0, y0, dx, dy, nx, ny = _plane(grid)
    x, y, _, length, width, _, yaw = (float(v) for v in box[:7])
    reach = np.hypot(length, width) / 2
    c0, c1 = max(int((x - reach - x0) // dx), 0), min(int((x + reach - x0) // dx) + 1, nx)
    r0, r1 = max(int((y - reach - y0) // dy), 0), min(int((y + reach - y0) // dy) + 1, ny)
    mask = np.zeros((ny, nx), bool)
    if c0 >= c1 or r0 >= r1:
        return mask
    cy, cx = np.meshgrid(y0 + (np.arange(r0, r1) + 0.5) * dy,
                         x0 + (np.arange(c0, c1) + 0.5) * dx, indexing='ij')
    c, s = np.cos(yaw), np.sin(yaw)
    along = (cx - x) * c + (cy - y) * s
    across = -(cx - x) * s + (cy - y) * c
    mask[r0:r1, c0:c1] = (np.abs(along) <= length / 2) & (np.abs(across) <= width / 2)
    if not mask.any():
        col, row = int((x - x0) // dx), int((y - y0) // dy)
        if 0 <= col < nx and 0 <= row < ny:
            mask[row, col] = True
    return mask


def box_visibility(box: np.ndarray, seen: np.ndarray, grid: VoxelGrid,
                   origin=(0.0, 0.0)) -> float:
    """Fraction of the box's footprint cells whose line of sight from ``origin`` crosses
    only cells of ``seen`` (``lidar_visibility``) before it enters the box; 0 for a box
    outside the grid."""
    x0, y0, dx, dy, nx, ny = _plane(grid)
    footprint = box_footprint(box, grid)
    rows, cols = np.nonzero(footprint)
    if not len(rows):
        return 0.0
    targets = np.stack([x0 + (cols + 0.5) * dx, y0 + (rows + 0.5) * dy], 1)
    return float(_lines_of_sight(targets, footprint, float(origin[0]), float(origin[1]),
                                 x0, y0, dx, dy, nx, ny, seen).mean())


def laplacian_visibility(mu: torch.Tensor, b: torch.Tensor, lidar2img: torch.Tensor,
                         img_shape, grid: VoxelGrid, canvas_shape=None,
                         align_corners: bool = False):
    """Hard and soft visibility (Y, X) in [0, 1] from the predicted depth (module
    docstring). mu / b (N, h, w) cover the image ``img_shape`` (or the padded
    ``canvas_shape``); lidar2img (N, 4, 4); sampling as in ``lift``."""
    zn, yn, xn = grid.shape
    centers = grid.centers(mu.device).view(-1, 3)
    hard_occluded = torch.zeros(yn * xn, dtype=torch.bool, device=mu.device)
    soft_occlusion = torch.ones(zn, yn * xn, device=mu.device)
    with torch.no_grad():
        for k in range(len(mu)):
            inside, norm, depth = (v[0] for v in _project_voxels(
                centers, lidar2img[k:k + 1], img_shape, canvas_shape, align_corners))
            mu_v, b_v = F.grid_sample(torch.stack([mu[k], b[k]])[None], norm[None, None],
                                      padding_mode='border', align_corners=align_corners
                                      )[0, :, 0]
            occluded = (inside & (depth > mu_v)).view(zn, -1)
            hard_occluded |= occluded.all(0)
            soft = torch.where(inside, laplace_cdf(depth, mu_v, b_v), torch.ones_like(depth))
            soft_occlusion = torch.minimum(soft_occlusion, soft.view(zn, -1))
    hard = 1 - hard_occluded.float()
    soft = 1 - soft_occlusion.amin(0)
    return hard.view(yn, xn), soft.view(yn, xn)
