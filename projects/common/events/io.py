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

``open_events`` is the reader for whole recordings (DSEC's h5 files and DDD17's folders hold
hundreds of millions of events): it searches time and reads only the slices a window needs.
"""
import os.path as osp
from dataclasses import dataclass

import numpy as np

from ..errors import SampleFileError, check_file


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
    """Polarity as int8 -1/+1 from a 0/1 or -1/+1 encoding (integer codes: two passes over
    ``p``, no sort)."""
    p = np.asarray(p)
    if p.dtype == bool:
        p = p.view(np.uint8)
    if len(p) and np.issubdtype(p.dtype, np.integer):
        low, high = p.min(), p.max()
        zero_one = 0 <= low and high <= 1
        signed = low == -1 and high <= 1 and not (p == 0).any()
    else:
        values = np.unique(p)
        zero_one, signed = np.isin(values, (0, 1)).all(), np.isin(values, (-1, 1)).all()
    if zero_one:
        return (2 * p.astype(np.int8) - 1).astype(np.int8)
    if signed:
        return p.astype(np.int8)
    raise SampleFileError(f'{name}: unknown polarity encoding {np.unique(p)[:5].tolist()} '
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


class _H5Times:
    """``searchsorted`` over DSEC's ``events/t`` without reading it all: ``ms_to_idx`` (the
    first event of each millisecond, required) narrows the search to one millisecond's
    events."""

    def __init__(self, path: str, offset: int):
        self.path, self.offset = path, offset

    def searchsorted(self, value: int, side: str = 'left') -> int:
        import h5py
        import hdf5plugin  # noqa: F401
        value = int(value) - self.offset
        with h5py.File(self.path, 'r') as f:
            t, num, ms_to_idx = f['events/t'], len(f['events/t']), f['ms_to_idx']
            ms = min(max(value // 1000, 0), len(ms_to_idx) - 1)
            lo = int(ms_to_idx[ms]) if value >= 0 else 0
            hi = int(ms_to_idx[ms + 1]) + 1 if ms + 1 < len(ms_to_idx) else num
            lo, hi = min(lo, num), min(hi, num)
            return lo + int(np.searchsorted(t[lo:hi], value, side=side))


class EventFile:
    """A recording read lazily: ``t.searchsorted(value, side)``, ``len()`` and slicing, which
    returns a checked ``EventStream`` of just that slice. ``rectify_map`` ((H, W, 2), DSEC's
    ``rectify_map.h5``) maps each event to rectified sub-pixel coordinates; events that land
    outside the sensor after rectification are dropped, as in ESS / EV-WSSS."""

    def __init__(self, path: str, height: int, width: int, rectify_map=None):
        self.path, self.height, self.width = path, height, width
        self.rectify_map = rectify_map
        if osp.isdir(path):
            self._x, self._y, self.t, self._p = _read(path)  # memory-mapped
            self._len = len(self.t)
            return
        check_file(path)
        import h5py
        import hdf5plugin  # noqa: F401
        try:
            with h5py.File(path, 'r') as f:
                missing = [k for k in ('events/x', 'events/y', 'events/t', 'events/p',
                                       'ms_to_idx') if k not in f]
                self._len = len(f['events/t']) if not missing else 0
                offset = int(f['t_offset'][()]) if 't_offset' in f else 0
        except Exception as err:
            raise SampleFileError(f'{path}: cannot read DSEC events ({type(err).__name__}: '
                                  f'{err})') from err
        if missing:  # ms_to_idx: finding a label's window must not read every timestamp
            raise SampleFileError(f'{path}: no {", ".join(missing)} (a DSEC events.h5 holds '
                                  'events/{x,y,t,p}, ms_to_idx and t_offset: a partial '
                                  'download or another format?)')
        self.t, self._offset = _H5Times(path, offset), offset

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index: slice) -> EventStream:
        start, stop, _ = index.indices(self._len)
        if osp.isdir(self.path):
            x, y, t, p = (np.asarray(a[start:stop]) for a in (self._x, self._y, self.t,
                                                              self._p))
        else:
            import h5py
            import hdf5plugin  # noqa: F401
            with h5py.File(self.path, 'r') as f:
                ev = f['events']
                x, y, p = (ev[k][start:stop] for k in 'xyp')
                t = ev['t'][start:stop].astype(np.int64) + self._offset
        name = f'{self.path}[{start}:{stop}]'
        if self.rectify_map is None:
            return make_stream(x, y, t, p, self.height, self.width, name)
        stream = make_stream(x, y, t, p, *self.rectify_map.shape[:2], name)
        xy = self.rectify_map[stream.y, stream.x]
        inside = ((xy[:, 0] >= 0) & (xy[:, 0] <= self.width - 1) & (xy[:, 1] >= 0)
                  & (xy[:, 1] <= self.height - 1))
        return EventStream(xy[inside, 0].astype(np.float32), xy[inside, 1].astype(np.float32),
                           stream.t[inside], stream.p[inside])


def read_rectify_map(path: str) -> np.ndarray:
    """DSEC's ``rectify_map.h5``: (H, W, 2) rectified x, y of each raw pixel."""
    check_file(path)
    import h5py
    try:
        with h5py.File(path, 'r') as f:
            rectify = f['rectify_map'][()]
    except Exception as err:
        raise SampleFileError(f'{path}: cannot read rectify_map ({type(err).__name__}: '
                              f'{err})') from err
    if rectify.ndim != 3 or rectify.shape[2] != 2:
        raise SampleFileError(f'{path}: rectify_map of shape {rectify.shape}, expected (H, W, 2)')
    return rectify


def open_events(path: str, height: int, width: int, rectify_map=None):
    """An ``EventFile`` for DSEC h5 files and DDD17 folders; other files are small and are
    read and checked whole (an ``EventStream``, which windows slice the same way)."""
    if osp.isdir(path) or osp.splitext(path)[1].lower() in ('.h5', '.hdf5'):
        return EventFile(path, height, width, rectify_map)
    return load_events(path, height, width)


def save_events(path: str, events: EventStream) -> None:
    np.savez(path, x=events.x, y=events.y, t=events.t, p=events.p)
