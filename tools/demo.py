"""The suite's main job on the bundled samples, end to end, with real runs.

1. make the sample data (real scikit-image photographs, texture composites, a stereo cloud);
2. pretrain PixPro on the photographs (configs/pixpro/pixpro_r18_1xb16-20e_samples-demo.py);
3. convert the checkpoint to backbone weights and check they load downstream;
4. fine-tune an FCN on the composite textures from those weights and evaluate it with
   mmseg's IoUMetric through tools/test.py;
5. draw PCA pictures of the features before and after pretraining;
6. plot the training curves of both runs (``tools/analysis/plot_curves.py``).

    python tools/demo.py [--work-dir work_dirs/demo] [--pretrain-epochs 20] [--seg-iters 300]
"""
import argparse
import glob
import json
import os
import os.path as osp
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
PRETRAIN_CFG = 'configs/pixpro/pixpro_r18_1xb16-20e_samples-demo.py'
SEG_CFG = 'configs/pixpro/downstream/fcn_r18-d8_1xb8-300i_textures_pixpro.py'


def run(*args):
    print('$ ' + ' '.join(args), flush=True)
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--pretrain-epochs', type=int, default=20)
    parser.add_argument('--seg-iters', type=int, default=300)
    args = parser.parse_args()
    start = time.time()
    work = args.work_dir
    pretrain_dir, seg_dir = osp.join(work, 'pixpro'), osp.join(work, 'seg')
    pictures = osp.join(work, 'pictures')
    os.makedirs(osp.join(ROOT, pictures), exist_ok=True)

    if not osp.isfile(osp.join(ROOT, 'data/samples/pointclouds/motorcycle_frames.json')):
        run('tools/data/make_samples.py', '--out', 'data/samples')

    run('tools/train.py', PRETRAIN_CFG, '--work-dir', pretrain_dir,
        '--cfg-options', f'train_cfg.max_epochs={args.pretrain_epochs}')
    ckpt = osp.join(pretrain_dir, f'epoch_{args.pretrain_epochs}.pth')
    backbone = osp.join(pretrain_dir, 'backbone.pth')
    run('tools/convert_checkpoint.py', ckpt, backbone, '--check-config', SEG_CFG)

    run('tools/train.py', SEG_CFG, '--work-dir', seg_dir, '--cfg-options',
        f'model.backbone.init_cfg.checkpoint={backbone}', f'train_cfg.max_iters={args.seg_iters}',
        f'train_cfg.val_interval={args.seg_iters}',
        f'default_hooks.checkpoint.interval={args.seg_iters}',
        f'param_scheduler.0.end={args.seg_iters}')
    metrics_file = osp.join(seg_dir, 'test_metrics.json')
    run('tools/test.py', SEG_CFG, osp.join(seg_dir, f'iter_{args.seg_iters}.pth'),
        '--work-dir', seg_dir, '--out', metrics_file)

    images = sorted(glob.glob(osp.join(ROOT, 'data/samples/images/*.png')))[:4]
    for name, extra in (('features_random_init.png', []),
                        ('features_pixpro.png', ['--checkpoint', backbone])):
        run('tools/visualize_features.py', PRETRAIN_CFG, *extra, '--images', *images,
            '--size', '384', '--stage', '-1', '--out', osp.join(pictures, name))
    run('tools/analysis/plot_curves.py', pretrain_dir, '--keys', 'loss', 'lr',
        '--names', 'PixPro pretraining', '--out', osp.join(pictures, 'curves_pretraining.png'))
    run('tools/analysis/plot_curves.py', seg_dir, '--keys', 'loss', 'mIoU',
        '--names', 'FCN from PixPro', '--out', osp.join(pictures, 'curves_segmentation.png'))

    with open(osp.join(ROOT, metrics_file)) as f:
        metrics = json.load(f)
    print('\n=== demo finished in %.1f min ===' % ((time.time() - start) / 60))
    print(f'pretraining checkpoint : {osp.join(ROOT, ckpt)}')
    print(f'backbone weights       : {osp.join(ROOT, backbone)}')
    logs = sorted(glob.glob(osp.join(ROOT, pretrain_dir, '*', '*.log')))
    print(f'pretraining log        : {logs[-1] if logs else pretrain_dir}')
    print(f'segmentation run       : {osp.join(ROOT, seg_dir)}')
    print(f'texture-seg metrics    : mIoU {metrics.get("mIoU")}, aAcc {metrics.get("aAcc")}')
    print(f'pictures               : {osp.join(ROOT, pictures)}')


if __name__ == '__main__':
    main()
