"""Event representations on this machine: events/s of the vectorised voxel grid and
histogram against a straightforward per-event loop, on one core.

    python benchmarks/event_repr_speed.py [--repeats 3] [--sizes 1000000 10000000]

The loop baseline (a Python loop adding each event's trilinear weights, as a direct
transcription of the definition) runs on 20k events and its rate is reported as is.
Sensor 640x480 (DSEC); voxel grids with 5 bins, also as 20 chunks x 5 bins (the release's
recurrent input); integer pixel coordinates (raw events) and sub-pixel ones (rectified).
"""
import argparse
import os

os.environ.setdefault('OMP_NUM_THREADS', '1')

import numpy as np  # noqa: E402  (after OMP_NUM_THREADS)
import torch  # noqa: E402
from timing import median_time  # noqa: E402

from projects.common.events import (EventStream, event_histogram, voxel_grid,  # noqa: E402
                                    voxel_grid_chunks)

H, W, BINS = 480, 640, 5


def random_events(n: int, subpixel: bool, seed: int = 0) -> EventStream:
    rng = np.random.default_rng(seed)
    if subpixel:
        x, y = rng.uniform(0, W - 1, n), rng.uniform(0, H - 1, n)
    else:
        x, y = rng.integers(0, W, n).astype(np.int32), rng.integers(0, H, n).astype(np.int32)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--sizes', type=int, nargs='+', default=[1_000_000, 10_000_000])
    args = parser.parse_args()
    torch.set_num_threads(1)
    small = random_events(20_000, subpixel=True)
    assert np.allclose(loop_voxel_grid(small), voxel_grid(small, BINS, H, W), atol=1e-4)
    loop_rate = len(small) / median_time(lambda: loop_voxel_grid(small), 1)
    print('| events | coordinates | voxel grid (5 bins) | 20 chunks x 5 bins | histogram | '
          'loop baseline |\n|---|---|---|---|---|---|')
    for n in args.sizes:
        for subpixel in (False, True):
            ev = random_events(n, subpixel)
            rates = [n / median_time(fn, args.repeats) / 1e6 for fn in (
                lambda: voxel_grid(ev, BINS, H, W),
                lambda: voxel_grid_chunks(ev, 20, BINS, H, W),
                lambda: event_histogram(ev, H, W))]
            print(f'| {n / 1e6:g} M | {"sub-pixel" if subpixel else "integer"} | '
                  + ' | '.join(f'{r:.1f} M ev/s' for r in rates)
                  + f' | {loop_rate / 1e6:.3f} M ev/s |')


if __name__ == '__main__':
    main()
