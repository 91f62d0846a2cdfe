"""Does PixPro pretraining help downstream? PixPro vs random init at the same budget.

On the bundled composite-texture set (real texture photographs, exact masks):
1. pretrain PixPro on the unlabelled train composites (configs/pixpro/pixpro_r18_1xb32-40e_textures.py);
2. convert the checkpoint to backbone weights;
3. for each seed, fine-tune the same FCN from PixPro weights and from random init on the
   first ``--labelled`` train images for ``--iters`` iterations, and evaluate mIoU on the val
   split with mmseg's IoUMetric (tools/test.py);
4. write a Markdown table to ``<work-dir>/report.md``.

    python tools/analysis/pixpro_transfer.py [--seeds 0 1 2] [--labelled 8] [--iters 200]
"""
import argparse
import json
import os
import os.path as osp
import statistics
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PRETRAIN_CFG = 'configs/pixpro/pixpro_r18_1xb32-40e_textures.py'
SEG_SCRATCH = 'configs/pixpro/downstream/fcn_r18-d8_1xb8-300i_textures.py'
SEG_PIXPRO = 'configs/pixpro/downstream/fcn_r18-d8_1xb8-300i_textures_pixpro.py'


def run(*args):
    print('$ ' + ' '.join(args), flush=True)
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL if os.environ.get('QUIET') else None)


def finetune(cfg, work_dir, seed, labelled, iters, extra=()):
    metrics_file = osp.join(work_dir, 'test_metrics.json')
    if not osp.isfile(osp.join(ROOT, metrics_file)):
        run('tools/train.py', cfg, '--work-dir', work_dir, '--cfg-options',
            f'randomness.seed={seed}', f'train_dataloader.dataset.indices={labelled}',
            f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
            f'default_hooks.checkpoint.interval={iters}', f'param_scheduler.0.end={iters}',
            *extra)
        run('tools/test.py', cfg, osp.join(work_dir, f'iter_{iters}.pth'), '--work-dir',
            work_dir, '--out', metrics_file, *(('--cfg-options', *extra) if extra else ()))
    with open(osp.join(ROOT, metrics_file)) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/pixpro_transfer')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--labelled', type=int, default=8)
    parser.add_argument('--iters', type=int, default=200)
    parser.add_argument('--pretrain-epochs', type=int, default=40)
    args = parser.parse_args()
    work = args.work_dir
    pretrain_dir = osp.join(work, 'pretrain')
    ckpt = osp.join(pretrain_dir, f'epoch_{args.pretrain_epochs}.pth')
    backbone = osp.join(pretrain_dir, 'backbone.pth')
    if not osp.isfile(osp.join(ROOT, backbone)):
        run('tools/train.py', PRETRAIN_CFG, '--work-dir', pretrain_dir, '--cfg-options',
            f'train_cfg.max_epochs={args.pretrain_epochs}')
        run('tools/convert_checkpoint.py', ckpt, backbone, '--check-config', SEG_PIXPRO)

    results = {'random init': [], 'PixPro': []}
    for seed in args.seeds:
        results['random init'].append(finetune(
            SEG_SCRATCH, osp.join(work, f'scratch_seed{seed}'), seed, args.labelled, args.iters))
        results['PixPro'].append(finetune(
            SEG_PIXPRO, osp.join(work, f'pixpro_seed{seed}'), seed, args.labelled, args.iters,
            extra=(f'model.backbone.init_cfg.checkpoint={backbone}', )))

    lines = [f'Composite textures, {args.labelled} labelled train images, {args.iters} '
             f'iterations, seeds {args.seeds}; val mIoU / aAcc (%) from mmseg IoUMetric.', '',
             '| init | ' + ' | '.join(f'seed {s}' for s in args.seeds) + ' | mean mIoU |',
             '|---|' + '---|' * (len(args.seeds) + 1)]
    for name, runs in results.items():
        mious = [r['mIoU'] for r in runs]
        cells = ' | '.join(f"{r['mIoU']:.2f} / {r['aAcc']:.2f}" for r in runs)
        spread = statistics.stdev(mious) if len(mious) > 1 else 0.0
        lines.append(f'| {name} | {cells} | {statistics.mean(mious):.2f} ± {spread:.2f} |')
    report = '\n'.join(lines) + '\n'
    with open(osp.join(ROOT, work, 'report.md'), 'w') as f:
        f.write(report)
    print(report)


if __name__ == '__main__':
    main()
