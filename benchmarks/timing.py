"""Shared timing helper for the benchmark scripts."""
import time

import numpy as np


def median_time(fn, repeats: int) -> float:
    """Median wall time of ``fn()`` over ``repeats`` runs, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def alternating_times(fns: dict, repeats: int) -> dict:
    """Median wall time of each ``fns[name]()`` when the functions run in turn, one after the
    other, ``repeats`` rounds after one warm-up round: a noisy machine slows each alike."""
    times = {name: [] for name in fns}
    for round_ in range(repeats + 1):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            if round_:
                times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}
