"""Train a model from a config with mmengine's Runner.

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp] [--tensorboard]
                                 [--auto-scale-lr] [--cfg-options k=v ...]
                                 [--launcher none|pytorch|slurm]
"""
import argparse
import os
import os.path as osp

from mmengine.config import DictAction
from mmengine.runner import Runner

from projects.common.checkpoint import latest_checkpoint
from projects.common.cli import (adapt_to_device, add_sample_check, add_unsafe_load,
                                 check_data_paths, enable_tensorboard, init_cpu_distributed,
                                 load_config, one_line_errors)
from projects.common.runtime import setup_runtime


def parse_args():
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument('--resume', nargs='?', type=str, const='auto',
                        help='resume from CKPT, or from the latest checkpoint in the work dir '
                        'when no path is given')
    parser.add_argument('--amp', action='store_true', help='automatic mixed precision (CUDA)')
    add_unsafe_load(parser)
    parser.add_argument('--tensorboard', action='store_true',
                        help='also log scalars for TensorBoard (tensorboard --logdir WORK_DIR)')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the lr linearly with the real total batch size')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config entries, e.g. train_cfg.max_epochs=2')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def build_cfg(args):
    cfg = load_config(args.config, args.cfg_options)
    cfg.launcher = args.launcher
    cfg.work_dir = args.work_dir or cfg.get('work_dir') or osp.join(
        './work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.auto_scale_lr:
        cfg.setdefault('auto_scale_lr', {})['enable'] = True
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = latest_checkpoint(cfg.work_dir)
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.tensorboard:
        enable_tensorboard(cfg)
    check_data_paths(cfg, args.config)
    add_sample_check(cfg)
    adapt_to_device(cfg, args.launcher)
    return cfg


def main():
    args = parse_args()
    setup_runtime()
    with one_line_errors():
        cfg = build_cfg(args)
        init_cpu_distributed(args.launcher)
        runner = Runner.from_cfg(cfg)
        runner.train()
        print(f'done: checkpoints and logs in {osp.abspath(cfg.work_dir)}')


if __name__ == '__main__':
    main()
