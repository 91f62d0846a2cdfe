"""Which feature cells of two crops of one image look at the same place.

A crop is described by its box in the original image, normalised per axis to [0, 1]:
``(x1, y1, x2, y2) = (j/(W-1), i/(H-1), (j+w-1)/(W-1), (i+h-1)/(H-1))``. A horizontally
flipped crop swaps ``x1`` and ``x2``, so its cell centres run right to left.
"""
import torch
from torch import Tensor


def cell_centres(coords: Tensor, height: int, width: int) -> Tensor:
    """Centres of an ``height x width`` feature grid in original-image coordinates.

    Args:
        coords: (N, 4) crop boxes ``(x1, y1, x2, y2)``.
    Returns:
        (N, height * width, 2) centres ``(x, y)``, row-major over the grid.
    """
    x1, y1, x2, y2 = coords.unbind(-1)
    bin_w = (x2 - x1) / width  # negative for a flipped crop
    bin_h = (y2 - y1) / height
    cols = torch.arange(width, dtype=coords.dtype, device=coords.device) + 0.5
    rows = torch.arange(height, dtype=coords.dtype, device=coords.device) + 0.5
    cx = x1[:, None] + cols[None] * bin_w[:, None]  # (N, W)
    cy = y1[:, None] + rows[None] * bin_h[:, None]  # (N, H)
    grid_x = cx[:, None, :].expand(-1, height, -1)
    grid_y = cy[:, :, None].expand(-1, -1, width)
    return torch.stack([grid_x, grid_y], dim=-1).flatten(1, 2)


def bin_diagonal(coords: Tensor, height: int, width: int) -> Tensor:
    """(N,) diagonal length of one feature-map bin of each crop."""
    bin_w = (coords[:, 2] - coords[:, 0]) / width
    bin_h = (coords[:, 3] - coords[:, 1]) / height
    return torch.sqrt(bin_w ** 2 + bin_h ** 2)


def normalised_distance(coords_a: Tensor, coords_b: Tensor, height: int, width: int) -> Tensor:
    """(N, HW_a, HW_b) centre distances divided by the larger of the two bin diagonals."""
    dist = torch.cdist(cell_centres(coords_a, height, width),
                       cell_centres(coords_b, height, width))
    scale = torch.maximum(bin_diagonal(coords_a, height, width),
                          bin_diagonal(coords_b, height, width))
    return dist / scale[:, None, None]


def positive_mask(coords_a: Tensor, coords_b: Tensor, height: int, width: int,
                  threshold: float = 0.7) -> Tensor:
    """(N, HW_a, HW_b) float 0/1 mask: cell pairs closer than ``threshold`` bins."""
    with torch.no_grad():
        return (normalised_distance(coords_a, coords_b, height, width) < threshold).float()
