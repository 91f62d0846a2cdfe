"""Dense tensors from event streams.

Voxel grid (as in DSEC/ESS): timestamps of a chunk are normalised to [0, bins - 1]; each
event adds its polarity (-1/+1) to the 8 (x, y, t) cells around it with trilinear weights
(1 - |dx|)(1 - |dy|)(1 - |dt|). Integer pixel coordinates touch only the two time cells.

On the CPU one compiled pass (numba, cached on disk) scatters the events; on other devices
the same grid is built with torch ``index_add_``. Both match the per-event definition
(``tests/common/test_events.py``).
"""
import numba
import numpy as np
import torch

from .io import EventStream


@numba.njit(cache=True, nogil=True)
def _time_split(t, start, stop, bins):
    """Scale and origin of normalised time t_n = (t - t0) * scale over events [start, stop)."""
    span = t[stop - 1] - t[start]
    return (bins - 1) / span if span > 0 else 0.0, t[start]


@numba.njit(cache=True, nogil=True)
def _scatter_integer(x, y, t, p, start, stop, out):
    """Adds events [start, stop) with integer pixels to ``out`` (bins, H, W)."""
    bins = out.shape[0]
    scale, t0 = _time_split(t, start, stop, bins)
    last = max(bins - 2, 0)
    for i in range(start, stop):
        tn = (t[i] - t0) * scale
        low = min(int(tn), last)  # t = end: the last bin, through frac = 1
        frac = np.float32(tn - low)
        value = np.float32(p[i])
        out[low, y[i], x[i]] += value - value * frac
        if frac != 0:
            out[low + 1, y[i], x[i]] += value * frac


@numba.njit(cache=True, nogil=True)
def _scatter_subpixel(x, y, t, p, start, stop, out):
    """Adds events [start, stop) with sub-pixel coordinates to ``out`` (bins, H, W)."""
    bins, height, width = out.shape
    scale, t0 = _time_split(t, start, stop, bins)
    last = max(bins - 2, 0)
    for i in range(start, stop):
        tn = (t[i] - t0) * scale
        low = min(int(tn), last)
        ft = np.float32(tn - low)
        x0, y0 = int(np.floor(x[i])), int(np.floor(y[i]))
        fx, fy = np.float32(x[i] - x0), np.float32(y[i] - y0)
        value, one = np.float32(p[i]), np.float32(1)
        for ti, wt in ((low, one - ft), (low + 1, ft)):
            if wt == 0:
                continue
            for yi, wy in ((y0, one - fy), (y0 + 1, fy)):
                if wy == 0 or yi >= height:
                    continue
                for xi, wx in ((x0, one - fx), (x0 + 1, fx)):
                    if wx != 0 and xi < width:
                        out[ti, yi, xi] += value * wt * wy * wx


def _scatter(events: EventStream, bounds, out: np.ndarray) -> np.ndarray:
    """Voxel grid of each chunk [bounds[c], bounds[c + 1]) into out[c] (chunks, bins, H, W)."""
    integer = not (np.issubdtype(events.x.dtype, np.floating)
                   or np.issubdtype(events.y.dtype, np.floating))
    scatter = _scatter_integer if integer else _scatter_subpixel
    x, y, t, p = (np.ascontiguousarray(a) for a in (events.x, events.y, events.t, events.p))
    for chunk, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:])):
        if stop > start:
            scatter(x, y, t, p, int(start), int(stop), out[chunk])
    return out


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


def _voxel_grid_torch(events: EventStream, bins: int, height: int, width: int,
                      device) -> np.ndarray:
    """``voxel_grid`` with torch ``index_add_`` on ``device``."""
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


def voxel_grid(events: EventStream, bins: int, height: int, width: int,
               device=None) -> np.ndarray:
    """(bins, H, W) float32 voxel grid of the whole window, computed on ``device`` (the CPU
    by default; 'cuda' moves the events there first)."""
    if device is not None and torch.device(device).type != 'cpu':
        return _voxel_grid_torch(events, bins, height, width, device)
    out = np.zeros((1, bins, height, width), np.float32)
    return _scatter(events, (0, len(events)), out)[0]


def voxel_grid_chunks(events: EventStream, num_chunks: int, bins: int, height: int,
                      width: int) -> np.ndarray:
    """(num_chunks, bins, H, W) float32: the window split into ``num_chunks`` chunks of
    equal event count (the recurrent encoder's input sequence), one voxel grid each."""
    bounds = np.arange(num_chunks + 1) * len(events) // num_chunks
    return _scatter(events, bounds, np.zeros((num_chunks, bins, height, width), np.float32))


def event_histogram(events: EventStream, height: int, width: int) -> np.ndarray:
    """(2, H, W) float32 event counts per pixel: negative (channel 0) and positive (1)."""
    x = np.round(events.x).astype(np.int64)
    y = np.round(events.y).astype(np.int64)
    index = ((events.p > 0).astype(np.int64) * height + y) * width + x
    return np.bincount(index, minlength=2 * height * width).astype(np.float32).reshape(
        2, height, width)
