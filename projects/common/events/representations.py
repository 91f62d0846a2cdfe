"""Dense tensors from event streams, vectorised (torch ``index_add_`` / ``np.bincount``;
no per-event loop).

Voxel grid (as in DSEC/ESS): timestamps of a chunk are normalised to [0, bins - 1]; each
event adds its polarity (-1/+1) to the 8 (x, y, t) cells around it with trilinear weights
(1 - |dx|)(1 - |dy|)(1 - |dt|). Integer pixel coordinates touch only the two time cells.
"""
import numpy as np
import torch

from .io import EventStream


def _spatial(events: EventStream, height: int, width: int, device=None):
    """[(pixel index, weight)] of the 1 (integer coordinates) or 4 pixels an event touches."""
    x, y = (torch.from_numpy(np.asarray(c)).to(device) for c in (events.x, events.y))
    if not (x.is_floating_point() or y.is_floating_point()):
        return [(y.long() * width + x.long(), 1.0)]
    corners = []
    for coord, size in ((x.double(), width), (y.double(), height)):
        low = coord.floor()
        frac = (coord - low).float()
        low = low.long()
        inside = low + 1 < size  # the upper neighbour of the last pixel is off the sensor
        corners.append([(low, 1 - frac), (torch.where(inside, low + 1, low), frac * inside)])
    return [(yi * width + xi, wy * wx) for yi, wy in corners[1] for xi, wx in corners[0]]


def voxel_grid(events: EventStream, bins: int, height: int, width: int,
               device=None) -> np.ndarray:
    """(bins, H, W) float32 voxel grid of the whole window, computed on ``device`` (CPU by
    default; 'cuda' moves the events there first)."""
    plane = height * width
    # + one plane for the shares past the last bin
    grid = torch.zeros((bins + 1) * plane, device=device)
    if len(events):
        t = torch.from_numpy(events.t).to(device)
        span = float(events.t[-1] - events.t[0])
        t_norm = (t - t[0]).double() * ((bins - 1) / span if span > 0 else 0.0)
        low = t_norm.long().clamp_(max=max(bins - 2, 0))  # t = end: last bin via frac 1
        frac = (t_norm - low).float()
        base = low * plane
        value = torch.from_numpy(events.p).to(device).float()
        for pixel, w in _spatial(events, height, width, device):
            index = base + pixel
            upper = value * w * frac  # the share of the next time bin
            grid.index_add_(0, index, value * w - upper)
            grid.index_add_(0, index + plane, upper)
    return grid[:bins * plane].cpu().numpy().reshape(bins, height, width)


def voxel_grid_chunks(events: EventStream, num_chunks: int, bins: int, height: int,
                      width: int) -> np.ndarray:
    """(num_chunks, bins, H, W) float32: the window split into ``num_chunks`` chunks of
    equal event count (the recurrent encoder's input sequence), one voxel grid each."""
    bounds = np.arange(num_chunks + 1) * len(events) // num_chunks
    return np.stack([voxel_grid(events[a:b], bins, height, width)
                     for a, b in zip(bounds[:-1], bounds[1:])])


def event_histogram(events: EventStream, height: int, width: int) -> np.ndarray:
    """(2, H, W) float32 event counts per pixel: negative (channel 0) and positive (1)."""
    x = np.round(events.x).astype(np.int64)
    y = np.round(events.y).astype(np.int64)
    index = ((events.p > 0).astype(np.int64) * height + y) * width + x
    return np.bincount(index, minlength=2 * height * width).astype(np.float32).reshape(
        2, height, width)
