"""An event-camera simulator: a virtual camera moving over a real photograph.

1. ``render_views``: the camera's view of a large image (and of its label map) at each pose
   (centre x/y, rotation, zoom), by bilinear (labels: nearest) sampling.
2. ``simulate_events``: between consecutive frames, each pixel's log intensity moves
   linearly; an event fires every time it crosses its reference level +- C (per-pixel
   thresholds C_pos / C_neg with optional mismatch), at the interpolated crossing time, and
   the reference moves by C. Options: refractory period (events of a pixel closer than it
   to its previous *emitted* event are dropped; the reference still moves), uniform
   background-noise events (rate per pixel), and the log offset eps.

Vectorised over pixels: the loops run over frames and over the few crossings a pixel makes
within one frame step.
"""
from typing import Optional, Sequence

import numpy as np

from .io import EventStream


def render_views(image: np.ndarray, poses: Sequence[Sequence[float]], height: int,
                 width: int, labels: Optional[np.ndarray] = None):
    """Frames (T, H, W) in [0, 1] (grey) and, with ``labels``, label maps (T, H, W).

    ``poses``: (cx, cy, angle [rad], zoom) per frame; the view's pixel (u, v) shows image
    point centre + zoom * R(angle) (u - W/2, v - H/2).
    """
    from scipy.ndimage import map_coordinates
    grey = image.astype(np.float32)
    if grey.ndim == 3:
        grey = grey[..., :3] @ np.array([0.299, 0.587, 0.114], np.float32)
    if grey.max() > 1.0:
        grey = grey / 255.0
    v, u = np.mgrid[0:height, 0:width].astype(np.float32)
    u, v = u - width / 2, v - height / 2
    frames, maps = [], []
    for cx, cy, angle, zoom in poses:
        c, s = np.cos(angle), np.sin(angle)
        xs = cx + zoom * (c * u - s * v)
        ys = cy + zoom * (s * u + c * v)
        frames.append(map_coordinates(grey, [ys, xs], order=1, mode='reflect'))
        if labels is not None:
            maps.append(map_coordinates(labels, [ys, xs], order=0, mode='reflect'))
    return np.stack(frames), (np.stack(maps) if labels is not None else None)


def simulate_events(frames: np.ndarray, times: np.ndarray, threshold: float = 0.2,
                    threshold_std: float = 0.0, refractory_us: int = 0,
                    noise_rate_hz: float = 0.0, eps: float = 1e-3, seed: int = 0
                    ) -> EventStream:
    """Events (x, y, t [us], p) from frames (T, H, W) in [0, 1] at ``times`` (T,) [us]."""
    rng = np.random.default_rng(seed)
    _, height, width = frames.shape
    shape = (height, width)
    c_pos = np.clip(threshold * (1 + threshold_std * rng.standard_normal(shape)), 0.01, None)
    c_neg = np.clip(threshold * (1 + threshold_std * rng.standard_normal(shape)), 0.01, None)
    c_pos, c_neg = c_pos.reshape(-1), c_neg.reshape(-1)
    log = np.log(frames.reshape(len(frames), -1).astype(np.float64) + eps)
    ref = log[0].copy()
    last = np.full(height * width, -np.inf)
    out = []
    for k in range(1, len(frames)):
        l0, l1, t0, t1 = log[k - 1], log[k], float(times[k - 1]), float(times[k])
        for sign, c in ((1, c_pos), (-1, c_neg)):
            count = np.floor(np.maximum(sign * (l1 - ref), 0) / c).astype(np.int64)
            pix = np.repeat(np.flatnonzero(count), count[count > 0])
            if not len(pix):
                continue
            starts = np.cumsum(count[count > 0]) - count[count > 0]
            j = np.arange(len(pix)) - np.repeat(starts, count[count > 0]) + 1
            level = ref[pix] + sign * j * c[pix]
            t = t0 + (t1 - t0) * (level - l0[pix]) / (l1[pix] - l0[pix])
            keep = _refractory(pix, j, t, last, refractory_us)
            out.append((pix[keep], t[keep], np.full(int(keep.sum()), sign, np.int8)))
            ref += sign * count * c
        if noise_rate_hz > 0:
            num = rng.poisson(noise_rate_hz * (t1 - t0) * 1e-6 * height * width)
            out.append((rng.integers(0, height * width, num), rng.uniform(t0, t1, num),
                        rng.choice(np.array([-1, 1], np.int8), num)))
    if not out:
        empty = np.zeros(0, np.int64)
        return EventStream(empty.astype(np.int32), empty.astype(np.int32), empty,
                           empty.astype(np.int8))
    pix, t, p = (np.concatenate(a) for a in zip(*out))
    t = np.round(t).astype(np.int64)
    order = np.argsort(t, kind='stable')
    pix = pix[order]
    return EventStream((pix % width).astype(np.int32), (pix // width).astype(np.int32),
                       t[order], p[order])


def _refractory(pix, j, t, last, refractory_us):
    """Mask of events at least ``refractory_us`` after their pixel's last emitted event
    (updating ``last``); crossings of one pixel in a step are handled in order of j."""
    if refractory_us <= 0:
        return np.ones(len(pix), bool)
    keep = np.zeros(len(pix), bool)
    for step in range(1, int(j.max()) + 1):
        rows = np.flatnonzero(j == step)
        ok = t[rows] - last[pix[rows]] >= refractory_us
        keep[rows[ok]] = True
        last[pix[rows[ok]]] = t[rows[ok]]
    return keep
