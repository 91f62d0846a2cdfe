"""Event voxel grids, ours against the peers, run in turn in one process on one core.

    python benchmarks/event_repr_speed.py [--repeats 5] [--sizes 1000000 10000000]

Peers: tonic's ``to_voxel_grid_numpy`` (numpy ``add.at``) and evlib's ``create_voxel_grid``
(Rust/polars, a sparse frame) + ``densify_voxel_grid``, installed with
``pip install tonic evlib`` (not dependencies of the suite; a missing peer is skipped).
Sensor 640x480 (DSEC), 5 bins; also 20 chunks x 5 bins (the release's recurrent input; the
peer builds one grid per chunk). Peers truncate coordinates to integers, so sub-pixel
(rectified) events have no peer column: their rate is printed against the 10 M ev/s aim.
tonic normalises time to [0, bins] rather than [0, bins - 1]: the same work, one bin's
share dropped. Ours is checked against a per-event loop of the definition before timing.
"""
import argparse
import os

os.environ.setdefault('OMP_NUM_THREADS', '1')
os.environ.setdefault('POLARS_MAX_THREADS', '1')

import numpy as np  # noqa: E402  (after the thread settings)
import torch  # noqa: E402
from timing import alternating_times  # noqa: E402

from projects.common.events import EventStream, voxel_grid, voxel_grid_chunks  # noqa: E402

H, W, BINS, CHUNKS = 480, 640, 5, 20


def random_events(n: int, subpixel: bool, seed: int = 0) -> EventStream:
    rng = np.random.default_rng(seed)
    if subpixel:
        x, y = rng.uniform(0, W - 1, n), rng.uniform(0, H - 1, n)
    else:
        x, y = rng.integers(0, W, n).astype(np.int16), rng.integers(0, H, n).astype(np.int16)
    t = np.sort(rng.integers(0, 50_000, n)).astype(np.int64)
    return EventStream(x, y, t, rng.choice(np.array([-1, 1], np.int8), n))


def loop_voxel_grid(events: EventStream) -> np.ndarray:
    grid = np.zeros((BINS, H, W), np.float32)
    t0, t1 = float(events.t[0]), float(events.t[-1])
    for x, y, t, p in zip(events.x, events.y, events.t, events.p):
        tn = (BINS - 1) * (t - t0) / (t1 - t0)
        for xi in (int(np.floor(x)), int(np.floor(x)) + 1):
            for yi in (int(np.floor(y)), int(np.floor(y)) + 1):
                for ti in (int(np.floor(tn)), int(np.floor(tn)) + 1):
                    if 0 <= xi < W and 0 <= yi < H and 0 <= ti < BINS:
                        grid[ti, yi, xi] += p * max(0.0, 1 - abs(xi - x)) * \
                            max(0.0, 1 - abs(yi - y)) * max(0.0, 1 - abs(ti - tn))
    return grid


def peers(events: EventStream) -> dict:
    """The installed peers' voxel grid (whole window) and chunked grid functions."""
    found = {}
    bounds = np.arange(CHUNKS + 1) * len(events) // CHUNKS
    try:
        from tonic.functional.to_voxel_grid import to_voxel_grid_numpy
        # int64 fields: tonic's fastest input here (int16 x / y were 1.5-4x slower)
        table = np.empty(len(events), [(k, np.int64) for k in 'xytp'])
        for k in 'xytp':
            table[k] = getattr(events, k)
        found['tonic'] = (lambda: to_voxel_grid_numpy(table, (W, H, 2), BINS),
                          lambda: [to_voxel_grid_numpy(table[a:b], (W, H, 2), BINS)
                                   for a, b in zip(bounds[:-1], bounds[1:])])
    except ImportError:
        pass
    try:
        import evlib
        import polars as pl
        frame = pl.DataFrame({'x': events.x, 'y': events.y, 'polarity': events.p,
                              't': pl.Series(events.t).cast(pl.Duration('us'))})

        def evlib_grid(part):
            return evlib.densify_voxel_grid(evlib.create_voxel_grid(part, H, W, BINS),
                                            BINS, H, W)
        found['evlib'] = (lambda: evlib_grid(frame),
                          lambda: [evlib_grid(frame[int(a):int(b)])
                                   for a, b in zip(bounds[:-1], bounds[1:])])
    except ImportError:
        pass
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--sizes', type=int, nargs='+', default=[1_000_000, 10_000_000])
    args = parser.parse_args()
    torch.set_num_threads(1)
    for subpixel in (False, True):
        small = random_events(20_000, subpixel)
        assert np.allclose(loop_voxel_grid(small), voxel_grid(small, BINS, H, W), atol=1e-4)
    names = list(peers(random_events(10, False)))
    print('| events | coordinates | input | ours | '
          + ' | '.join(f'{n} | speed-up over {n}' for n in names) + ' |')
    print('|---' * (4 + 2 * len(names)) + '|')
    for n in args.sizes:
        for subpixel in (False, True):
            ev = random_events(n, subpixel)
            found = {} if subpixel else peers(ev)
            for col, (label, ours) in enumerate((
                    ('voxel grid', lambda: voxel_grid(ev, BINS, H, W)),
                    (f'{CHUNKS} chunks', lambda: voxel_grid_chunks(ev, CHUNKS, BINS, H, W)))):
                times = alternating_times(
                    {'ours': ours, **{k: fns[col] for k, fns in found.items()}}, args.repeats)
                cells = [f'{n / times[k] / 1e6:.1f} M ev/s | {times[k] / times["ours"]:.2f}x'
                         if k in times else '— | —' for k in names]
                print(f'| {n / 1e6:g} M | {"sub-pixel" if subpixel else "integer"} | {label} '
                      f'| {n / times["ours"] / 1e6:.1f} M ev/s | ' + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main()
