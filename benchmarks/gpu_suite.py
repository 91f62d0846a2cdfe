"""The GPU benchmark set of ``tools/gpu_check.sh``, one JSON file of results.

    python benchmarks/gpu_suite.py [--quick] [--device cuda|cpu] [--out results.json]
    python benchmarks/gpu_suite.py --table results.json      # as a Markdown table

* PixPro ResNet-50 training step (2 views, fwd + bwd + momentum fwd), fp32 and AMP;
* SpUNet-v1m1 fwd + bwd at 50k and 200k voxels;
* PDBEV's parametric lift vs LSS (all cameras, per camera) and a BEVPool-style lift at
  the paper grid (inference and training; ``bev_lift_memory.py``);
* the event voxel grid (5 bins, 640x480) at 1M and 10M events.

Times are medians (``timing.median_time``) with CUDA synchronised; memory is
``torch.cuda.max_memory_allocated`` above what was allocated before the case (CPU: not
measured here). ``--quick`` uses fewer repeats and smaller inputs where the full size would
not fit a CPU smoke run; the sizes used are written next to each result.
"""
import argparse
import json
import platform
import time
import traceback

import torch
from timing import median_time


def measured(fn, repeats: int, device: str) -> dict:
    """Median seconds of ``fn`` and, on CUDA, its peak memory in MiB."""
    def synced():
        fn()
        if device == 'cuda':
            torch.cuda.synchronize()
    if device == 'cuda':
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
    seconds = median_time(synced, repeats)
    out = dict(seconds=round(seconds, 4))
    if device == 'cuda':
        out['peak_mib'] = round((torch.cuda.max_memory_allocated() - base) / 2 ** 20, 1)
    return out


def pixpro_cases(quick: bool, device: str, repeats: int):
    from pretrain_speed import pixpro_step
    batch, size = (2, 96) if quick and device == 'cpu' else (32, 224)
    for amp in (False, True):
        step = pixpro_step(batch, size, device)

        def run(step=step, amp=amp):
            with torch.autocast(device, dtype=torch.bfloat16, enabled=amp):
                step()
        yield f'pixpro_r50_{"amp_bf16" if amp else "fp32"}', dict(batch=batch, size=size), \
            lambda run=run: measured(run, repeats, device)


def spunet_cases(quick: bool, device: str, repeats: int):
    from pretrain_speed import spunet_step
    for voxels in ((5_000, 20_000) if quick and device == 'cpu' else (50_000, 200_000)):
        yield f'spunet_{voxels // 1000}k', dict(voxels=voxels), \
            lambda v=voxels: measured(spunet_step(v, device), repeats, device)


def lift_cases(quick: bool, device: str, repeats: int):
    from bev_lift_memory import METHODS, build
    setting = 'demo' if quick and device == 'cpu' else 'paper'
    for method in METHODS:
        for mode in ('inference', 'training'):
            def case(m=method, mode=mode):
                run = build(setting, m, mode == 'training', device)
                run()  # fills the geometry caches
                return measured(run, repeats, device)
            yield f'lift_{method.replace(" ", "_")}_{mode}', dict(setting=setting), case


def event_cases(quick: bool, device: str, repeats: int):
    from event_repr_speed import BINS, H, W, random_events

    from projects.common.events import voxel_grid
    for n in ((1_000_000, ) if quick else (1_000_000, 10_000_000)):
        events = random_events(n, subpixel=True)

        def case(events=events, n=n):
            result = measured(lambda: voxel_grid(events, BINS, H, W, device=device), repeats,
                              device)
            return dict(result, mev_per_s=round(n / result['seconds'] / 1e6, 1))
        yield f'event_voxel_grid_{n // 1_000_000}M', dict(events=n, subpixel=True), case


def markdown_table(report: dict) -> str:
    lines = [f"{report['gpu'] or 'CPU'}, torch {report['torch']}, CUDA {report['cuda']}"
             f"{', quick' if report['quick'] else ''}:", '',
             '| case | size | median s | peak MiB (CUDA) | note |', '|---|---|---|---|---|']
    for name, r in report['results'].items():
        size = ', '.join(f'{k} {v}' for k, v in r.items()
                         if k not in ('seconds', 'peak_mib', 'wall_s', 'error', 'trace',
                                      'mev_per_s'))
        note = r.get('error', '') or (f"{r['mev_per_s']} M ev/s" if 'mev_per_s' in r else '')
        lines.append(f"| {name} | {size} | {r.get('seconds', '')} | {r.get('peak_mib', '')} "
                     f'| {note} |')
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--table', metavar='RESULTS_JSON', help='print it as Markdown, exit')
    parser.add_argument('--quick', action='store_true')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--out', default='gpu_benchmarks.json')
    args = parser.parse_args()
    if args.table:
        with open(args.table) as f:
            print(markdown_table(json.load(f)))
        return
    from projects.common.runtime import setup_runtime
    setup_runtime()
    repeats = 2 if args.quick else 5
    report = dict(device=args.device, quick=args.quick, torch=torch.__version__,
                  cuda=torch.version.cuda, python=platform.python_version(),
                  gpu=torch.cuda.get_device_name() if args.device == 'cuda' else None,
                  results={})
    for cases in (pixpro_cases, spunet_cases, lift_cases, event_cases):
        for name, sizes, case in cases(args.quick, args.device, repeats):
            start = time.perf_counter()
            try:
                result = dict(sizes, **case())
            except Exception as err:  # keep going: one failure must not hide the rest
                result = dict(sizes, error=f'{type(err).__name__}: {err}',
                              trace=traceback.format_exc(limit=3))
            result['wall_s'] = round(time.perf_counter() - start, 1)
            report['results'][name] = result
            print(name, json.dumps(result), flush=True)
            with open(args.out, 'w') as f:  # written after every case
                json.dump(report, f, indent=1)


if __name__ == '__main__':
    main()
