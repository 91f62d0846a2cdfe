"""Does pretraining help downstream? Pretrained vs random init at the same budget.

1. pretrain the method on the unlabelled train split of a bundled set;
2. convert the checkpoint to backbone weights;
3. for each seed, fine-tune the same downstream model from those weights and from random
   init on the first ``--labelled`` train samples for ``--iters`` iterations, and evaluate
   on the val split with the downstream library's metric (tools/test.py);
4. write a Markdown table to ``<work-dir>/report.md`` and print it.

Runs are reused only when made by the same code and config (``run_key.txt`` in each work
dir, ``projects/common/experiments.py``); ``--force`` reruns them all.

Methods: ``pixpro`` (composite textures, FCN-R18, mmseg IoUMetric) and ``fac`` (generated
3D scenes, mmdet3d MinkUNet with SpUNet, mmdet3d SegMetric).

    python tools/analysis/transfer_vs_scratch.py pixpro [--seeds 0 1 2] [--labelled 8] [--iters 200]
    python tools/analysis/transfer_vs_scratch.py fac --labelled 4 --iters 200 [--force]
"""
import argparse
import json
import os
import os.path as osp

from projects.common.experiments import (ROOT, cached_run, code_version, mean_std, per_seed,
                                         run_key, run_script)

PRESETS = {
    'pixpro': dict(
        pretrain='configs/pixpro/pixpro_r18_1xb32-40e_textures.py', epochs=40,
        scratch='configs/pixpro/downstream/fcn_r18-d8_1xb8-300i_textures.py',
        pretrained='configs/pixpro/downstream/fcn_r18-d8_1xb8-300i_textures_pixpro.py',
        miou='mIoU', acc='aAcc', scale=1.0, what='Composite textures'),
    'fac': dict(
        pretrain='configs/fac/fac_spunet-small_1xb2-50e_synthetic-scenes.py', epochs=50,
        scratch='configs/fac/downstream/spunet-small_minkunet_1xb4-200i_synthetic-scenes.py',
        pretrained='configs/fac/downstream/'
        'spunet-small_minkunet_1xb4-200i_synthetic-scenes_fac.py',
        miou='miou', acc='acc', scale=100.0, what='Generated 3D scenes'),
}


def run(*args):
    run_script(*args, quiet=bool(os.environ.get('QUIET')))


def finetune(cfg, work_dir, seed, labelled, iters, code, force, extra=(), after=''):
    """Test metrics of one fine-tune; ``after``: the key of the run it starts from."""
    options = [f'randomness.seed={seed}', f'train_dataloader.dataset.indices={labelled}',
               f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
               f'default_hooks.checkpoint.interval={iters}', f'param_scheduler.0.end={iters}',
               *extra]
    metrics_file = osp.join(work_dir, 'test_metrics.json')

    def produce():
        run('tools/train.py', cfg, '--work-dir', work_dir, '--cfg-options', *options)
        run('tools/test.py', cfg, osp.join(work_dir, f'iter_{iters}.pth'), '--work-dir',
            work_dir, '--out', metrics_file, *(('--cfg-options', *extra) if extra else ()))
    key = run_key(cfg, [*options, after], code)
    path = cached_run(work_dir, key, 'test_metrics.json', produce, force)
    with open(path) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('method', choices=sorted(PRESETS))
    parser.add_argument('--work-dir', help='default: work_dirs/<method>_transfer')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--labelled', type=int, default=8)
    parser.add_argument('--iters', type=int, default=200)
    parser.add_argument('--pretrain-epochs', type=int)
    parser.add_argument('--force', action='store_true', help='rerun every step')
    args = parser.parse_args()
    code = code_version()
    preset = PRESETS[args.method]
    epochs = args.pretrain_epochs or preset['epochs']
    work = args.work_dir or f'work_dirs/{args.method}_transfer'
    pretrain_dir = osp.join(work, 'pretrain')
    ckpt = osp.join(pretrain_dir, f'epoch_{epochs}.pth')
    backbone = osp.join(pretrain_dir, 'backbone.pth')
    pretrain_options = [f'train_cfg.max_epochs={epochs}']

    def pretrain():
        run('tools/train.py', preset['pretrain'], '--work-dir', pretrain_dir, '--cfg-options',
            *pretrain_options)
        run('tools/convert_checkpoint.py', ckpt, backbone, '--check-config', preset['pretrained'])
    pretrain_key = run_key(preset['pretrain'], pretrain_options, code)
    cached_run(pretrain_dir, pretrain_key, 'backbone.pth', pretrain, args.force)

    name = args.method.upper() if args.method == 'fac' else 'PixPro'
    results = {'random init': [], name: []}
    for seed in args.seeds:
        results['random init'].append(finetune(
            preset['scratch'], osp.join(work, f'scratch_seed{seed}'), seed, args.labelled,
            args.iters, code, args.force))
        results[name].append(finetune(
            preset['pretrained'], osp.join(work, f'{args.method}_seed{seed}'), seed,
            args.labelled, args.iters, code, args.force,
            extra=(f'model.backbone.init_cfg.checkpoint={backbone}', ), after=pretrain_key))

    miou, acc, scale = preset['miou'], preset['acc'], preset['scale']
    lines = [f"{preset['what']}, {args.labelled} labelled train samples, {args.iters} "
             f'iterations, seeds {args.seeds}; val mIoU / accuracy (%).', '',
             '| init | ' + ' | '.join(f'seed {s}' for s in args.seeds) + ' | mean mIoU |',
             '|---|' + '---|' * (len(args.seeds) + 1)]
    for name, runs in results.items():
        mious = [r[miou] * scale for r in runs]
        cells = ' | '.join(per_seed((r[miou] * scale, r[acc] * scale)) for r in runs)
        mean = mean_std(mious)
        lines.append(f'| {name} | {cells} | {mean if name == "random init" else f"**{mean}**"} |')
    report = '\n'.join(lines) + '\n'
    with open(osp.join(ROOT, work, 'report.md'), 'w') as f:
        f.write(report)
    print(report)


if __name__ == '__main__':
    main()
