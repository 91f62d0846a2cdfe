"""Event streams: one checked container and readers for the formats event datasets use.

An ``EventStream`` holds four equal-length arrays, sorted by time:
``x``, ``y`` (int pixel columns / rows), ``t`` (int64 microseconds) and ``p`` (int8, -1/+1).

Readers:
* ``.npy``: an (N, 4) array of x, y, t, p, or a structured array with those fields;
* ``.npz``: arrays ``x``, ``y``, ``t``, ``p``;
* ``.h5``: DSEC's layout (``events/{x,y,t,p}``, ``t_offset`` added to ``t``);
* a DDD17 folder (Ev-SegNet / ESS release): memory-mapped ``events.dat.t`` (int64, (N, 1))
  and ``events.dat.xyp`` (int16, (N, 3)).

Polarity may be stored as 0/1 or -1/+1; anything else is an error, as are events outside
the sensor, decreasing timestamps and empty streams (each message names the source).
"""
import os.path as osp
from dataclasses import dataclass

import numpy as np

from ..datasets.loading import SampleFileError, check_file


@dataclass
class EventStream:
    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    p: np.ndarray

    def __len__(self) -> int:
        return len(self.t)

    def __getitem__(self, index) -> 'EventStream':
        return EventStream(self.x[index], self.y[index], self.t[index], self.p[index])


def signed_polarity(p: np.ndarray, name: str = '<events>') -> np.ndarray:
    """Polarity as int8 -1/+1 from a 0/1 or -1/+1 encoding."""
    values = np.unique(p)
    if np.isin(values, (0, 1)).all():
        return (2 * p.astype(np.int8) - 1).astype(np.int8)
    if np.isin(values, (-1, 1)).all():
        return p.astype(np.int8)
    raise SampleFileError(f'{name}: unknown polarity encoding {values[:5].tolist()} '
                          '(expected 0/1 or -1/+1)')


def make_stream(x, y, t, p, height: int, width: int, name: str = '<events>') -> EventStream:
    """A checked ``EventStream``; raises ``SampleFileError`` naming ``name`` for empty
    streams, non-finite or out-of-sensor coordinates, decreasing time or bad polarity."""
    x, y, t, p = (np.asarray(a).reshape(-1) for a in (x, y, t, p))
    if not len(t):
        raise SampleFileError(f'{name}: no events')
    if not len(x) == len(y) == len(t) == len(p):
        raise SampleFileError(f'{name}: x, y, t, p lengths differ '
                              f'({len(x)}, {len(y)}, {len(t)}, {len(p)})')
    if not (np.isfinite(x).all() and np.isfinite(y).all() and np.isfinite(t).all()):
        raise SampleFileError(f'{name}: NaN or Inf in the event coordinates')
    outside = (x < 0) | (x >= width) | (y < 0) | (y >= height)
    if outside.any():
        i = int(np.argmax(outside))
        raise SampleFileError(f'{name}: {int(outside.sum())} events outside the {width}x{height} '
                              f'sensor (first: x={x[i]}, y={y[i]})')
    if (np.diff(t) < 0).any():
        i = int(np.argmax(np.diff(t) < 0))
        raise SampleFileError(f'{name}: timestamps decrease at event {i + 1} '
                              f'({t[i]} -> {t[i + 1]}); events must be sorted by time')
    return EventStream(x.astype(np.int32) if np.issubdtype(x.dtype, np.integer) else x,
                       y.astype(np.int32) if np.issubdtype(y.dtype, np.integer) else y,
                       t.astype(np.int64), signed_polarity(p, name))


def _read(path: str):
    ext = osp.splitext(path)[1].lower()
    if osp.isdir(path):  # DDD17
        t_file, xyp_file = osp.join(path, 'events.dat.t'), osp.join(path, 'events.dat.xyp')
        for f in (t_file, xyp_file):
            check_file(f)
        num = osp.getsize(t_file) // 8
        if osp.getsize(xyp_file) != num * 6:
            raise SampleFileError(f'{path}: events.dat.t holds {num} events but events.dat.xyp '
                                  f'has {osp.getsize(xyp_file)} bytes (expected {num * 6})')
        t = np.memmap(t_file, dtype=np.int64, mode='r', shape=(num, ))
        xyp = np.memmap(xyp_file, dtype=np.int16, mode='r', shape=(num, 3))
        return xyp[:, 0], xyp[:, 1], t, xyp[:, 2]
    check_file(path)
    try:
        if ext == '.npy':
            arr = np.load(path, allow_pickle=False)
            if arr.dtype.names:
                return tuple(arr[k] for k in 'xytp')
            if arr.ndim != 2 or arr.shape[1] != 4:
                raise SampleFileError(f'{path}: expected an (N, 4) x, y, t, p array, '
                                      f'got shape {arr.shape}')
            return arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3]
        if ext == '.npz':
            with np.load(path, allow_pickle=False) as f:
                missing = [k for k in 'xytp' if k not in f]
                if missing:
                    raise SampleFileError(f'{path}: arrays {missing} missing (need x, y, t, p)')
                return tuple(f[k] for k in 'xytp')
        if ext in ('.h5', '.hdf5'):
            import h5py
            import hdf5plugin  # noqa: F401  (registers the blosc filter DSEC's files use)
            with h5py.File(path, 'r') as f:
                if 'events' not in f:
                    raise SampleFileError(f'{path}: no "events" group (DSEC layout expected)')
                ev = f['events']
                offset = int(f['t_offset'][()]) if 't_offset' in f else 0
                return (ev['x'][()], ev['y'][()], ev['t'][()].astype(np.int64) + offset,
                        ev['p'][()])
    except SampleFileError:
        raise
    except Exception as err:
        raise SampleFileError(f'{path}: cannot read events ({type(err).__name__}: {err})') \
            from err
    raise SampleFileError(f'{path}: unsupported event format {ext!r} '
                          '(use .npy, .npz, .h5 or a DDD17 folder)')


def load_events(path: str, height: int, width: int) -> EventStream:
    """Read and check the events of ``path`` for a ``width`` x ``height`` sensor."""
    return make_stream(*_read(path), height=height, width=width, name=path)


def save_events(path: str, events: EventStream) -> None:
    np.savez(path, x=events.x, y=events.y, t=events.t, p=events.p)
