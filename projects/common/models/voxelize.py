"""Points -> sparse voxels and back, vectorised in torch (no per-point Python loop).

``voxelize`` quantises one cloud; ``collate_sparse`` batches several into one
``spconv.SparseConvTensor`` and keeps, for every input point, the row of its voxel, so
per-voxel network outputs come back to points with ``voxel_feats[point2voxel]``.
"""
from typing import List, NamedTuple, Sequence

import torch
from torch import Tensor


class Voxels(NamedTuple):
    coords: Tensor       # (V, 3) int32 voxel indices (z, y, x) from the cloud's minimum
    feats: Tensor        # (V, C) mean of the point features in each voxel
    point2voxel: Tensor  # (N,) int64 voxel row of every point


def unique_cells(grid: Tensor):
    """(N, 3) non-negative int64 cells -> (V, 3) distinct cells (sorted) and (N,) the row of
    each input cell. One int64 key per cell: a 1-D unique is ~10x faster than unique(dim=0)."""
    extent = grid.max(0).values + 1
    key = (grid[:, 0] * extent[1] + grid[:, 1]) * extent[2] + grid[:, 2]
    cells, inverse = torch.unique(key, return_inverse=True)
    coords = torch.stack([cells // (extent[1] * extent[2]), (cells // extent[2]) % extent[1],
                          cells % extent[2]], dim=1)
    return coords, inverse


def voxelize(points: Tensor, feats: Tensor, voxel_size: Sequence[float]) -> Voxels:
    """Average ``feats`` (N, C) of the ``points`` (N, 3) falling in each voxel.

    Indices are ``floor((p - min(p)) / voxel_size)``, stored as (z, y, x) as spconv expects.
    """
    if points.ndim != 2 or points.shape[1] != 3 or len(points) == 0:
        raise ValueError(f'voxelize needs (N>0, 3) points, got {tuple(points.shape)}')
    size = torch.as_tensor(voxel_size, dtype=points.dtype, device=points.device)
    grid = torch.floor((points - points.min(0).values) / size).long()
    coords, point2voxel = unique_cells(grid)
    counts = torch.bincount(point2voxel, minlength=len(coords)).clamp(min=1)
    sums = torch.zeros(len(coords), feats.shape[1], dtype=feats.dtype, device=feats.device)
    sums.index_add_(0, point2voxel, feats)
    return Voxels(coords.flip(1).int(), sums / counts[:, None].to(feats.dtype), point2voxel)


def sparse_shape(indices: Tensor, multiple: int = 1) -> List[int]:
    """Spatial shape of batch-first (V, 4) voxel indices, each axis rounded up to ``multiple``."""
    extent = indices[:, 1:].max(0).values + 1
    return (((extent + multiple - 1) // multiple) * multiple).tolist()


def collate_sparse(clouds: List[Voxels]):
    """Batch voxelised clouds: returns (SparseConvTensor, point2voxel over the batch)."""
    import spconv.pytorch as spconv
    indices, feats, point2voxel, offset = [], [], [], 0
    for b, vox in enumerate(clouds):
        batch_col = torch.full((len(vox.coords), 1), b, dtype=torch.int32,
                               device=vox.coords.device)
        indices.append(torch.cat([batch_col, vox.coords], 1))
        feats.append(vox.feats)
        point2voxel.append(vox.point2voxel + offset)
        offset += len(vox.coords)
    indices = torch.cat(indices)
    tensor = spconv.SparseConvTensor(torch.cat(feats), indices, sparse_shape(indices),
                                     len(clouds))
    return tensor, torch.cat(point2voxel)
