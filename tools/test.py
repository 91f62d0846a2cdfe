"""Evaluate a checkpoint on a config's test set with the config's metric.

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out FILE]
                         [--cfg-options k=v ...] [--launcher none|pytorch|slurm]
"""
import argparse
import json
import os
import os.path as osp

from mmengine.config import DictAction
from mmengine.runner import Runner

from projects.common.cli import (adapt_to_device, add_sample_check, add_unsafe_load,
                                 check_data_paths, init_cpu_distributed, load_config,
                                 one_line_errors)
from projects.common.checkpoint import load_strictly
from projects.common.errors import ConfigError
from projects.common.runtime import setup_runtime


def parse_args():
    parser = argparse.ArgumentParser(description='Evaluate a checkpoint')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    add_unsafe_load(parser)
    parser.add_argument('--work-dir', help='the dir to save logs and metrics')
    parser.add_argument('--out', help='write the metrics as JSON to this file')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config entries')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main():
    args = parse_args()
    setup_runtime()
    with one_line_errors():
        if not osp.isfile(args.checkpoint):
            raise ConfigError(f'{args.checkpoint}: checkpoint not found')
        cfg = load_config(args.config, args.cfg_options)
        cfg.launcher = args.launcher
        cfg.work_dir = args.work_dir or cfg.get('work_dir') or osp.join(
            './work_dirs', osp.splitext(osp.basename(args.config))[0])
        cfg.load_from = None  # loaded strictly below
        check_data_paths(cfg, args.config, loaders=('test_dataloader', ))
        add_sample_check(cfg)
        adapt_to_device(cfg, args.launcher)
        init_cpu_distributed(args.launcher)
        runner = Runner.from_cfg(cfg)
        model = runner.model.module if hasattr(runner.model, 'module') else runner.model
        load_strictly(model, args.checkpoint, args.config)
        metrics = {k: plain(v) for k, v in runner.test().items()}
        if args.out:
            with open(args.out, 'w') as f:
                json.dump(metrics, f, indent=2)
        print(json.dumps(metrics))


def plain(value):
    """A metric value (scalar, tensor, array, per-class list) as JSON numbers."""
    import numpy as np
    value = np.asarray(value.tolist() if hasattr(value, 'tolist') else value, dtype=float)
    return float(value) if value.ndim == 0 else value.round(6).tolist()


if __name__ == '__main__':
    main()
