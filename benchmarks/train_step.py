"""Time one training step (forward + backward) of the suite's models on this machine.

    python benchmarks/train_step.py [--repeats 5]
"""
import argparse
import os.path as osp
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402


def timed(step, repeats):
    step()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return np.median(times)


def pixpro_step(depth, size, batch, device):
    from mmengine.logging import MessageHub
    from mmpretrain.registry import MODELS
    from mmpretrain.structures import DataSample

    import projects.pixpro  # noqa: F401
    MessageHub.get_current_instance().update_info('max_iters', 100)
    width = 2048 if depth >= 50 else 512
    model = MODELS.build(dict(
        type='PixPro', backbone=dict(type='ResNet', depth=depth, out_indices=(3, )),
        neck=dict(type='ConvMLPNeck', in_channels=width, hid_channels=4096, out_channels=256),
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


def sparse_unet_step(num_voxels, device):
    import spconv.pytorch as spconv

    from projects.common.models import SpUNet
    net = SpUNet(in_channels=6, num_classes=20).to(device)
    coords = torch.unique(torch.randint(0, 200, (num_voxels, 3)), dim=0)
    indices = torch.cat([torch.zeros(len(coords), 1, dtype=torch.long), coords], 1).int()
    feats = torch.randn(len(indices), 6)
    x = spconv.SparseConvTensor(feats.to(device), indices.to(device), [200] * 3, 1)

    def step():
        net.zero_grad()
        net(x).features.sum().backward()
    return step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repeats', type=int, default=5)
    args = parser.parse_args()
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    rows = [
        ('PixPro ResNet-18, 2 x 16 x 96 px', pixpro_step(18, 96, 16, device)),
        ('PixPro ResNet-50, 2 x 8 x 224 px', pixpro_step(50, 224, 8, device)),
        ('SpUNet (SpUNet-v1m1), 20k voxels', sparse_unet_step(20000, device)),
    ]
    print(f'device: {device}, torch threads: {torch.get_num_threads()}\n')
    print('| model | step time (s) |\n|---|---|')
    for name, step in rows:
        print(f'| {name} | {timed(step, args.repeats):.3f} |')


if __name__ == '__main__':
    main()
