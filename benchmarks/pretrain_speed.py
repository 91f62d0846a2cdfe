"""Pretraining speed on this machine: PixPro step vs its floor, the two-view pipeline, SpUNet.

    python benchmarks/pretrain_speed.py [--repeats 5] [--batch 8] [--size 224]

Rows:
* PixPro iteration (forward + backward + EMA update + momentum forwards), ResNet-50;
* the floor it is compared with: forward + backward of the online ResNet-50 on both views
  plus no-grad forwards of a second ResNet-50 on both views (no heads, no loss);
* the paper's two-view augmentation pipeline, images/s on one process;
* one SpUNet-v1m1 forward + backward on 20k voxels.
"""
import argparse
import glob
import os.path as osp
import time


import numpy as np
import torch
from timing import median_time

from projects.common.runtime import setup_runtime

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def pixpro_step(batch, size, device):
    from mmengine.logging import MessageHub
    from mmpretrain.registry import MODELS
    from mmpretrain.structures import DataSample

    import projects.pixpro  # noqa: F401
    MessageHub.get_current_instance().update_info('max_iters', 1000)
    model = MODELS.build(dict(
        type='PixPro', backbone=dict(type='ResNet', depth=50, out_indices=(3, )),
        neck=dict(type='ConvMLPNeck', in_channels=2048, hid_channels=4096, out_channels=256),
        head=dict(type='PixProHead', channels=256))).to(device)
    inputs = [torch.randn(batch, 3, size, size, device=device) for _ in range(2)]
    samples = []
    for _ in range(batch):
        ds = DataSample()
        ds.set_field([np.array([0., 0., 1., 1.], np.float32),
                      np.array([0.2, 0.1, 0.9, 1.], np.float32)], 'crop_coord')
        samples.append(ds)

    def step():
        model.zero_grad()
        sum(model.loss(inputs, samples).values()).backward()
    return step


def floor_step(batch, size, device):
    from mmpretrain.registry import MODELS
    online = MODELS.build(dict(type='ResNet', depth=50, out_indices=(3, ))).to(device)
    momentum = MODELS.build(dict(type='ResNet', depth=50, out_indices=(3, ))).to(device)
    momentum.requires_grad_(False)  # train mode (the default), as PixPro's momentum encoder
    inputs = [torch.randn(batch, 3, size, size, device=device) for _ in range(2)]

    def step():
        online.zero_grad()
        sum(online(x)[0].mean() for x in inputs).backward()
        with torch.no_grad():
            for x in inputs:
                momentum(x)
    return step


def pipeline_throughput(repeats):
    from mmengine.config import Config
    from mmengine.dataset import Compose
    from mmengine.registry import init_default_scope

    import projects.pixpro  # noqa: F401
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(osp.join(ROOT, 'configs/_base_/datasets/pixpro_two_view.py'))
    pipeline = Compose(cfg.train_pipeline)
    images = sorted(glob.glob(osp.join(ROOT, 'data/samples/images/*.png')))
    if not images:
        raise SystemExit('run tools/data/make_samples.py first')
    start = time.perf_counter()
    count = 0
    for _ in range(repeats):
        for path in images:
            pipeline(dict(img_path=path))
            count += 1
    return count / (time.perf_counter() - start)


def spunet_step(num_voxels, device):
    import spconv.pytorch as spconv

    from projects.common.models import SpUNet
    net = SpUNet(in_channels=6, num_classes=20).to(device)
    coords = torch.unique(torch.randint(0, 200, (num_voxels, 3)), dim=0)
    indices = torch.cat([torch.zeros(len(coords), 1, dtype=torch.long), coords], 1).int()
    x = spconv.SparseConvTensor(torch.randn(len(indices), 6, device=device),
                                indices.to(device), [200] * 3, 1)

    def step():
        net.zero_grad()
        net(x).features.sum().backward()
    return step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--size', type=int, default=224)
    args = parser.parse_args()
    setup_runtime()  # spconv's CPU backward
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    torch.manual_seed(0)
    tag = f'ResNet-50, 2 views x {args.batch} x {args.size} px'
    pixpro = median_time(pixpro_step(args.batch, args.size, device), args.repeats)
    floor = median_time(floor_step(args.batch, args.size, device), args.repeats)
    spunet = median_time(spunet_step(20000, device), args.repeats)
    views = pipeline_throughput(max(1, args.repeats // 2))
    print(f'device: {device}, torch threads: {torch.get_num_threads()}\n')
    print('| what | value |\n|---|---|')
    print(f'| PixPro iteration, {tag} | {pixpro:.2f} s |')
    print(f'| floor: 2 x (fwd+bwd) + 2 x momentum fwd, {tag} | {floor:.2f} s |')
    print(f'| PixPro / floor | {pixpro / floor:.2f} |')
    print(f'| two-view pipeline (paper augmentations, 224 px) | {views:.1f} images/s |')
    print(f'| SpUNet-v1m1 fwd+bwd, 20k voxels | {spunet:.2f} s |')


if __name__ == '__main__':
    main()
