"""The suite's main job on the bundled samples, end to end, with real runs.

1. make the sample data (real scikit-image photographs, texture composites, a stereo cloud);
2. pretrain PixPro on the photographs (configs/pixpro/pixpro_r18_1xb16-20e_samples-demo.py);
3. convert the checkpoint to backbone weights and check they load downstream;
4. fine-tune an FCN on the composite textures from those weights, and the same FCN from
   random init with the same budget, and evaluate both with mmseg's IoUMetric through
   tools/test.py (a table of the two at the end);
5. draw PCA pictures of the features before and after pretraining;
6. plot the training curves of both runs (``tools/analysis/plot_curves.py``).

    python tools/demo.py [--work-dir work_dirs/demo] [--pretrain-epochs 20] [--seg-iters 300]
"""
import argparse
import glob
import json
import os
import os.path as osp
import time

from projects.common.experiments import run_script

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
PRETRAIN_CFG = 'configs/pixpro/pixpro_r18_1xb16-20e_samples-demo.py'
SEG_CFG = 'configs/pixpro/downstream/fcn_r18-d8_1xb8-300i_textures_pixpro.py'
SCRATCH_CFG = 'configs/pixpro/downstream/fcn_r18-d8_1xb8-300i_textures.py'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--pretrain-epochs', type=int, default=20)
    parser.add_argument('--seg-iters', type=int, default=300)
    args = parser.parse_args()
    start = time.time()
    work = args.work_dir
    pretrain_dir, seg_dir = osp.join(work, 'pixpro'), osp.join(work, 'seg')
    scratch_dir = osp.join(work, 'seg_scratch')
    pictures = osp.join(work, 'pictures')
    os.makedirs(osp.join(ROOT, pictures), exist_ok=True)

    if not osp.isfile(osp.join(ROOT, 'data/samples/pointclouds/motorcycle_frames.json')):
        run_script('tools/data/make_samples.py', '--out', 'data/samples')

    run_script('tools/train.py', PRETRAIN_CFG, '--work-dir', pretrain_dir,
        '--cfg-options', f'train_cfg.max_epochs={args.pretrain_epochs}')
    ckpt = osp.join(pretrain_dir, f'epoch_{args.pretrain_epochs}.pth')
    backbone = osp.join(pretrain_dir, 'backbone.pth')
    run_script('tools/convert_checkpoint.py', ckpt, backbone, '--check-config', SEG_CFG)

    budget = [f'train_cfg.max_iters={args.seg_iters}', f'train_cfg.val_interval={args.seg_iters}',
              f'default_hooks.checkpoint.interval={args.seg_iters}',
              f'param_scheduler.0.end={args.seg_iters}',
              f'default_hooks.logger.interval={min(10, args.seg_iters)}']
    metrics = {}
    for name, cfg, work_dir, extra in (
            ('PixPro', SEG_CFG, seg_dir, [f'model.backbone.init_cfg.checkpoint={backbone}']),
            ('random init', SCRATCH_CFG, scratch_dir, [])):
        run_script('tools/train.py', cfg, '--work-dir', work_dir, '--cfg-options', *extra, *budget)
        metrics_file = osp.join(work_dir, 'test_metrics.json')
        run_script('tools/test.py', cfg, osp.join(work_dir, f'iter_{args.seg_iters}.pth'),
            '--work-dir', work_dir, '--out', metrics_file)
        with open(osp.join(ROOT, metrics_file)) as f:
            metrics[name] = json.load(f)

    images = sorted(glob.glob(osp.join(ROOT, 'data/samples/images/*.png')))[:4]
    for name, extra in (('features_random_init.png', []),
                        ('features_pixpro.png', ['--checkpoint', backbone])):
        run_script('tools/visualize_features.py', PRETRAIN_CFG, *extra, '--images', *images,
            '--size', '384', '--stage', '-1', '--out', osp.join(pictures, name))
    run_script('tools/analysis/plot_curves.py', pretrain_dir, '--keys', 'loss', 'lr',
        '--names', 'PixPro pretraining', '--out', osp.join(pictures, 'curves_pretraining.png'))
    run_script('tools/analysis/plot_curves.py', seg_dir, scratch_dir, '--keys', 'loss', 'mIoU',
        '--names', 'FCN from PixPro', 'FCN from random init',
        '--out', osp.join(pictures, 'curves_segmentation.png'))
    print('\n=== demo finished in %.1f min ===' % ((time.time() - start) / 60))
    print(f'pretraining checkpoint : {osp.join(ROOT, ckpt)}')
    print(f'backbone weights       : {osp.join(ROOT, backbone)}')
    logs = sorted(glob.glob(osp.join(ROOT, pretrain_dir, '*', '*.log')))
    print(f'pretraining log        : {logs[-1] if logs else pretrain_dir}')
    print(f'segmentation run       : {osp.join(ROOT, seg_dir)}')
    print(f'random-init run        : {osp.join(ROOT, scratch_dir)}')
    print(f'pictures               : {osp.join(ROOT, pictures)}')
    print(f'\nTexture segmentation (val), FCN-R18 with {args.seg_iters} fine-tuning iterations '
          'each; the backbone from\nPixPro pretraining on the bundled photographs or from random '
          'init:\n')
    print('| backbone | mIoU | aAcc |\n|---|---|---|')
    for name, m in metrics.items():
        print(f'| {name} | {m["mIoU"]:.2f} | {m["aAcc"]:.2f} |')


if __name__ == '__main__':
    main()
