"""Data loading against the training step, per method, on this machine.

    python benchmarks/loader_speed.py [--methods pixpro fac ...] [--batches 8] [--workers 2]
                                      [--cfg-options k=v ...]

For each method's CPU demo config, built as ``tools/train.py`` builds it: the training data
loader with ``--workers`` worker processes (samples/s over ``--batches`` batches after the
first, so worker start-up is not counted), then the training step on one of those batches
(``model.train_step``: forward, backward, optimiser step; median of ``--repeats``).
Ratio = loader rate / step rate: >= 1 means the step never waits for data. The two are
measured one after the other (the step first, on a batch loaded in this process), each with
the whole machine.
"""
import argparse
import os.path as osp
import shutil
import tempfile
import time

from mmengine.config import DictAction
from timing import median_time

from projects.common.runtime import setup_runtime

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMOS = {
    'pixpro': 'configs/pixpro/pixpro_r18_1xb16-20e_samples-demo.py',
    'fac': 'configs/fac/fac_spunet-small_1xb1-10e_samples-demo.py',
    'point_distill': 'configs/point_distill/pointdistill_pointvit-tiny_1xb32-60e_objects-demo.py',
    'evwsss': 'configs/evwsss/evwsss_e2vid-tiny_1xb4-30e_events-demo.py',
    'semicd_vl': 'configs/semicd_vl/semicd-vl_r18-lighthead_1xb4-40e_change-demo-10pct.py',
    'pdbev': 'configs/pdbev/pdbev_r18-fpn_1xb2-24e_bev-demo.py',
}


def build_runner(config: str, workers: int, work_dir: str, options=None):
    from mmengine.runner import Runner

    from projects.common.cli import adapt_to_device, load_config
    cfg = load_config(osp.join(ROOT, config), options)
    cfg.work_dir = work_dir
    cfg.log_level = 'WARNING'
    cfg.train_dataloader.num_workers = workers
    cfg.train_dataloader.persistent_workers = workers > 0
    adapt_to_device(cfg, 'none')
    return Runner.from_cfg(cfg)


def batch_size(batch) -> int:
    """Items in a collated batch (SemiCD-VL's holds one dict per branch: the first counts)."""
    while isinstance(batch, dict):
        batch = batch.get('data_samples', batch.get('inputs', next(iter(batch.values()))))
    return len(batch)


def loader_rate(loader, batches: int) -> float:
    """Samples/s over ``batches`` batches after the first."""
    it = iter(loader)
    next(it)
    seen, start = 0, time.perf_counter()
    for _ in range(batches):
        try:
            batch = next(it)
        except StopIteration:  # a small demo set: next epoch (workers persist)
            it = iter(loader)
            batch = next(it)
        seen += batch_size(batch)
    rate = seen / (time.perf_counter() - start)
    getattr(it, '_shutdown_workers', lambda: None)()  # no prefetching during later steps
    return rate


def step_rate(runner, batch, repeats: int) -> float:
    from mmengine.logging import MessageHub
    MessageHub.get_current_instance().update_info('max_iters', 1000)
    MessageHub.get_current_instance().update_info('iter', 10)
    optim = runner.build_optim_wrapper(runner.optim_wrapper)
    runner.model.train()
    seconds = median_time(lambda: runner.model.train_step(batch, optim), repeats)
    return batch_size(batch) / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--methods', nargs='+', default=list(DEMOS), choices=list(DEMOS))
    parser.add_argument('--batches', type=int, default=8)
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='config overrides for every method, as in tools/train.py')
    args = parser.parse_args()
    setup_runtime()
    rows = []
    work_root = tempfile.mkdtemp(prefix='loader_speed_')  # kept: mmengine's visualizer
    for method in args.methods:                          # outlives its runner
        runner = build_runner(DEMOS[method], args.workers, osp.join(work_root, method),
                              args.cfg_options)
        # the step first, on a batch loaded in this process: no worker runs meanwhile
        in_process = dict(runner.cfg.train_dataloader, num_workers=0, persistent_workers=False)
        stepping = step_rate(runner, next(iter(runner.build_dataloader(in_process))),
                             args.repeats)
        loading = loader_rate(runner.train_dataloader, args.batches)
        rows.append((method, DEMOS[method], loading, stepping))
        print(f'{method}: loader {loading:.2f} samples/s, step {stepping:.2f} samples/s',
              flush=True)
    print(f'\n| method | demo config | loader ({args.workers} workers) | training step | '
          'loader / step |\n|---|---|---|---|---|')
    for method, config, loading, stepping in rows:
        print(f'| {method} | `{osp.basename(config)}` | {loading:.1f} samples/s | '
              f'{stepping:.1f} samples/s | {loading / stepping:.2f}x |')
    shutil.rmtree(work_root, ignore_errors=True)


if __name__ == '__main__':
    main()
