"""Peak memory and time of PDBEV's parametric lift vs an LSS-style categorical lift at the
same grid, image size, feature width and camera count.

    python benchmarks/bev_lift_memory.py [--settings demo paper] [--repeats 3]

Parametric: per pixel mu, b; each voxel takes the Laplacian mass of its depth interval and
its bilinearly sampled feature (``projects/pdbev/lifting.py``, one camera and one height at
a time, cameras recomputed in backward). Categorical (reference implementation in the same
file): per pixel D depth-bin probabilities, the (N, D, h, w, C) outer product, splatted into
BEV. 'inference' is the forward pass without autograd, 'training' forward + backward.
Peak memory: CUDA ``max_memory_allocated`` on a GPU; on CPU each case runs in a fresh
process and reports the growth of the peak resident set size over the inputs, with
``MALLOC_MMAP_THRESHOLD_=65536`` so that glibc hands freed tensors back to the system
(otherwise the resident set keeps the allocator's high-water mark, not live memory); the
times come from a second run without that setting.
"""
import argparse
import json
import os
import subprocess
import sys
import time


SETTINGS = {
    # name: cameras, image (H, W), feature stride, channels, depth bins, grid
    'demo': (6, (64, 176), 8, 32, 40, ((-25.6, -25.6, -3.0, 25.6, 25.6, 1.0), (0.8, 0.8, 1.0))),
    'paper': (6, (512, 1408), 16, 80, 59,
              ((-50.0, -50.0, -5.0, 50.0, 50.0, 1.0), (0.25, 0.25, 0.5))),
}


def run_case(setting: str, method: str, mode: str, repeats: int, device: str) -> dict:
    import resource

    import torch

    from projects.common.cameras import intrinsics, lidar2cam_from_pose, lidar2img
    from projects.pdbev.lifting import VoxelGrid, categorical_lift, lift
    torch.manual_seed(0)
    n, (h_img, w_img), stride, c, d, (pcr, vs) = SETTINGS[setting]
    grid = VoxelGrid(pcr, vs)
    h, w = h_img // stride, w_img // stride
    f = (w_img / 2) / 0.7
    import numpy as np
    mats = torch.tensor(np.array([lidar2img(intrinsics(f, f, w_img / 2, h_img / 2),
                                            lidar2cam_from_pose(yaw, (0.0, 0.0, 0.0)))
                                  for yaw in np.linspace(0, 2 * np.pi, n + 1)[:-1]]),
                        dtype=torch.float32, device=device)
    grad = mode == 'training'
    feats = torch.randn(n, c, h, w, device=device, requires_grad=grad)
    if method == 'parametric':
        mu = (torch.rand(n, h, w, device=device) * 40 + 2).requires_grad_(grad)
        b = (torch.rand(n, h, w, device=device) + 0.1).requires_grad_(grad)
        call = lambda: lift(feats, mu, b, mats, (h_img, w_img), grid)[0]  # noqa: E731
    else:
        logits = torch.randn(n, d, h, w, device=device, requires_grad=grad)
        bins = torch.linspace(1.0, float(d), d, device=device)
        call = lambda: categorical_lift(feats, logits.softmax(1), bins, mats,  # noqa: E731
                                        (h_img, w_img), grid)

    def once():
        with torch.set_grad_enabled(grad):
            out = call()
            if grad:
                out.square().mean().backward()
        if device == 'cuda':
            torch.cuda.synchronize()
    if device == 'cuda':
        once()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
    else:
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        once()
        times.append(time.perf_counter() - start)
    peak = torch.cuda.max_memory_allocated() if device == 'cuda' else \
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return dict(peak_mib=(peak - base) / 2 ** 20, seconds=sorted(times)[len(times) // 2])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--settings', nargs='+', default=list(SETTINGS), choices=list(SETTINGS))
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--case', nargs=3, help=argparse.SUPPRESS)  # internal: one case
    args = parser.parse_args()
    import torch
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    if args.case:
        print(json.dumps(run_case(*args.case, args.repeats, device)))
        return
    print(f'device: {device}' + ('' if device == 'cuda' else
                                 f', {torch.get_num_threads()} threads'))
    print('| setting | mode | parametric peak MiB | categorical peak MiB | ratio | '
          'parametric s | categorical s |')
    print('|---|---|---|---|---|---|---|')
    for setting in args.settings:
        for mode in ('inference', 'training'):
            res = {}
            for method in ('parametric', 'categorical'):
                runs = []
                for env in ([dict(os.environ, MALLOC_MMAP_THRESHOLD_='65536'), None]
                            if device == 'cpu' else [None]):
                    out = subprocess.run([sys.executable, __file__, '--case', setting, method,
                                          mode, '--repeats', str(args.repeats)], env=env,
                                         capture_output=True, text=True)
                    if out.returncode:
                        raise SystemExit(out.stderr[-2000:])
                    runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
                res[method] = dict(peak_mib=runs[0]['peak_mib'], seconds=runs[-1]['seconds'])
            p, c = res['parametric'], res['categorical']
            print(f'| {setting} | {mode} | {p["peak_mib"]:.0f} | {c["peak_mib"]:.0f} | '
                  f'{p["peak_mib"] / max(c["peak_mib"], 1e-9):.2f} | {p["seconds"]:.3f} | '
                  f'{c["seconds"]:.3f} |', flush=True)


if __name__ == '__main__':
    main()
