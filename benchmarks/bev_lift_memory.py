"""PDBEV's parametric lift against LSS-style lifts, at the same grid, image size, feature
width and camera count: peak memory and time, inference and training.

    python benchmarks/bev_lift_memory.py [--settings demo paper] [--repeats 3]

Lifts:
* parametric (``projects/pdbev/lifting.py: lift``): per pixel mu, b; the voxels each camera
  sees (cached per calibration) take the Laplacian density at their depth and their
  bilinearly sampled feature, gathered and summed per column in chunks;
* LSS: per pixel D depth-bin probabilities, the (N, D, h, w, C) outer product splatted into
  BEV (``categorical_lift``), all cameras at once;
* LSS per camera: the same one camera at a time, each recomputed in the backward pass
  (``torch.utils.checkpoint``), the chunking the parametric lift gets;
* BEVPool-style (``bevpool_lift``): the frustum points' cells cached per calibration,
  feature x depth probability added per cell in chunks; no frustum tensor.
'inference' is the forward pass without autograd, 'training' forward + backward.
Times: the four run in turn in one process (median of ``--repeats``, after a warm-up that
also fills the geometry caches). Peak memory: each case in a fresh process, the second run
(the first fills the caches, whose size is printed apart): CUDA ``max_memory_allocated``
above what is allocated before it on a GPU; on CPU the peak resident set (reset through
/proc/self/clear_refs) above the resident set before it, with ``MALLOC_MMAP_THRESHOLD_=65536``
so that glibc hands freed tensors back to the system.
"""
import argparse
import json
import os
import subprocess
import sys

SETTINGS = {
    # name: cameras, image (H, W), feature stride, channels, depth bins, grid
    'demo': (6, (64, 176), 8, 32, 40, ((-25.6, -25.6, -3.0, 25.6, 25.6, 1.0), (0.8, 0.8, 1.0))),
    'paper': (6, (512, 1408), 16, 80, 59,
              ((-50.0, -50.0, -5.0, 50.0, 50.0, 1.0), (0.25, 0.25, 0.5))),
}
METHODS = ('parametric', 'LSS', 'LSS per camera', 'BEVPool-style')


def build(setting: str, method: str, grad: bool, device: str):
    """A function running one lift of ``method`` (its output summed into a scalar loss and
    backpropagated when ``grad``)."""
    import numpy as np
    import torch
    from torch.utils.checkpoint import checkpoint

    from projects.common.cameras import intrinsics, lidar2cam_from_pose, lidar2img
    from projects.pdbev.lifting import VoxelGrid, bevpool_lift, categorical_lift, lift
    torch.manual_seed(0)
    n, (h_img, w_img), stride, c, d, (pcr, vs) = SETTINGS[setting]
    grid = VoxelGrid(pcr, vs)
    h, w = h_img // stride, w_img // stride
    f = (w_img / 2) / 0.7
    mats = torch.tensor(np.array([lidar2img(intrinsics(f, f, w_img / 2, h_img / 2),
                                            lidar2cam_from_pose(yaw, (0.0, 0.0, 0.0)))
                                  for yaw in np.linspace(0, 2 * np.pi, n + 1)[:-1]]),
                        dtype=torch.float32, device=device)
    feats = torch.randn(n, c, h, w, device=device, requires_grad=grad)
    if method == 'parametric':
        mu = (torch.rand(n, h, w, device=device) * 40 + 2).requires_grad_(grad)
        b = (torch.rand(n, h, w, device=device) + 0.1).requires_grad_(grad)
        call = lambda: lift(feats, mu, b, mats, (h_img, w_img), grid)[0]  # noqa: E731
    else:
        logits = torch.randn(n, d, h, w, device=device, requires_grad=grad)
        bins = torch.linspace(1.0, float(d), d, device=device)

        def call():
            probs = logits.softmax(1)
            if method == 'LSS':
                return categorical_lift(feats, probs, bins, mats, (h_img, w_img), grid)
            if method == 'BEVPool-style':
                return bevpool_lift(feats, probs, bins, mats, (h_img, w_img), grid)
            return sum(checkpoint(categorical_lift, feats[k:k + 1], probs[k:k + 1], bins,
                                  mats[k:k + 1], (h_img, w_img), grid, use_reentrant=False)
                       if grad else categorical_lift(feats[k:k + 1], probs[k:k + 1], bins,
                                                     mats[k:k + 1], (h_img, w_img), grid)
                       for k in range(n))

    def once():
        with torch.set_grad_enabled(grad):
            out = call()
            if grad:
                out.square().mean().backward()
        if device == 'cuda':
            torch.cuda.synchronize()
    return once


def _status_kib(field: str) -> int:
    with open('/proc/self/status') as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ':'))


def cache_mib() -> float:
    """Size of the tensors in the lifts' per-calibration geometry cache."""
    import torch

    from projects.pdbev import lifting

    def size(obj):
        if isinstance(obj, torch.Tensor):
            return obj.numel() * obj.element_size()
        if isinstance(obj, (list, tuple)):
            return sum(size(o) for o in obj)
        return sum(size(v) for v in vars(obj).values()) if hasattr(obj, '__dict__') else 0
    return sum(size(v) for v in lifting._GEOMETRY.values()) / 2 ** 20


def peak_memory(setting: str, method: str, mode: str, device: str) -> dict:
    """MiB above what is held before the run (inputs, the filled geometry cache), for the
    second run of the case; and the cache's size."""
    import gc

    import torch
    once = build(setting, method, mode == 'training', device)
    once()  # warm-up: fills the geometry caches
    gc.collect()
    if device == 'cuda':
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        once()
        peak = (torch.cuda.max_memory_allocated() - base) / 2 ** 20
    else:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')  # resets the peak resident set (VmHWM) to the current one
        base = _status_kib('VmRSS')
        once()
        peak = (_status_kib('VmHWM') - base) / 1024
    return dict(peak=peak, cache=cache_mib())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--settings', nargs='+', default=list(SETTINGS), choices=list(SETTINGS))
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--memory-case', nargs=3, help=argparse.SUPPRESS)  # internal
    args = parser.parse_args()
    import torch
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    if args.memory_case:
        print(json.dumps(peak_memory(*args.memory_case, device)))
        return
    from timing import alternating_times
    print(f'device: {device}' + ('' if device == 'cuda' else
                                 f', {torch.get_num_threads()} threads'))
    print('| setting | mode | ' + ' | '.join(f'{m} MiB' for m in METHODS) + ' | '
          + ' | '.join(f'{m} s' for m in METHODS) + ' | parametric / LSS per camera MiB | '
          'parametric / BEVPool-style s | cached geometry MiB (parametric, BEVPool) |')
    print('|---' * (5 + 2 * len(METHODS)) + '|')
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_='65536') if device == 'cpu' else None
    for setting in args.settings:
        for mode in ('inference', 'training'):
            memory = {}
            for method in METHODS:
                out = subprocess.run([sys.executable, __file__, '--memory-case', setting,
                                      method, mode], env=env, capture_output=True, text=True)
                if out.returncode:
                    raise SystemExit(out.stderr[-2000:])
                memory[method] = json.loads(out.stdout.strip().splitlines()[-1])
            times = alternating_times({m: build(setting, m, mode == 'training', device)
                                       for m in METHODS}, args.repeats)
            print(f'| {setting} | {mode} | '
                  + ' | '.join(f'{memory[m]["peak"]:.0f}' for m in METHODS) + ' | '
                  + ' | '.join(f'{times[m]:.3f}' for m in METHODS) + ' | '
                  f'{memory["parametric"]["peak"] / memory["LSS per camera"]["peak"]:.2f} | '
                  f'{times["parametric"] / times["BEVPool-style"]:.2f} | '
                  f'{memory["parametric"]["cache"]:.1f}, {memory["BEVPool-style"]["cache"]:.1f} |',
                  flush=True)


if __name__ == '__main__':
    main()
