"""Points -> voxels on this machine: the suite's torch voxeliser vs spconv's PointToVoxel vs
mmcv's Voxelization (hard, with per-voxel point lists; and dynamic, coordinates per point),
then one SpUNet-v1m1 forward + backward at about 50k voxels.

    python benchmarks/voxelize_speed.py [--repeats 5]

Each row quantises the same cloud at the same voxel size, the four run in turn in one
process; the ratios are the peer's time over ours (> 1: ours is faster). 'ours' also returns
the mean feature per voxel and the point-to-voxel map that FAC and the MinkUNet transfer
need; mmcv's dynamic mode only computes each point's cell (no deduplication).
"""
import argparse
import os.path as osp


import numpy as np
import torch
from timing import alternating_times, median_time

from projects.common.runtime import setup_runtime

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def clouds():
    motorcycle = osp.join(ROOT, 'data/samples/pointclouds/motorcycle.npy')
    out = []
    if osp.isfile(motorcycle):
        out.append(('motorcycle (real, 86k pts), 1 cm',
                    torch.from_numpy(np.load(motorcycle)[:, :4]), 0.01))
    g = torch.Generator().manual_seed(0)
    for n in (100_000, 1_000_000):
        out.append((f'random {n // 1000}k pts in 50x50x4 m, 5 cm',
                    torch.rand(n, 4, generator=g) * torch.tensor([50., 50., 4., 1.]), 0.05))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repeats', type=int, default=5)
    args = parser.parse_args()
    setup_runtime()  # spconv's CPU backward
    from mmcv.ops import Voxelization
    from spconv.pytorch.utils import PointToVoxel

    from projects.common.models.voxelize import voxelize
    print(f'torch threads: {torch.get_num_threads()}\n')
    peers = ('spconv PointToVoxel', 'mmcv hard', 'mmcv dynamic')
    print('| cloud | ours (cells + means + map) | '
          + ' | '.join(f'{p} | speed-up over it' for p in peers) + ' |')
    print('|---' * (2 + 2 * len(peers)) + '|')
    for name, pts, size in clouds():
        lo = pts[:, :3].min(0).values
        hi = pts[:, :3].max(0).values + size
        rng = torch.cat([lo, hi]).tolist()
        spconv_gen = PointToVoxel(vsize_xyz=[size] * 3, coors_range_xyz=rng,
                                  num_point_features=4, max_num_voxels=len(pts),
                                  max_num_points_per_voxel=32)
        hard = Voxelization([size] * 3, rng, max_num_points=32, max_voxels=len(pts))
        dynamic = Voxelization([size] * 3, rng, max_num_points=-1, max_voxels=-1)
        times = alternating_times({'ours': lambda: voxelize(pts[:, :3], pts, (size, ) * 3),
                                   peers[0]: lambda: spconv_gen(pts),
                                   peers[1]: lambda: hard(pts),
                                   peers[2]: lambda: dynamic(pts)}, args.repeats)
        rate = {k: f'{len(pts) / t / 1e6:.1f} M pts/s' for k, t in times.items()}
        print(f'| {name} | {rate["ours"]} | ' + ' | '.join(
            f'{rate[p]} | {times[p] / times["ours"]:.2f}x' for p in peers) + ' |')
    voxels, seconds = spunet_50k(max(1, args.repeats // 2))
    print(f'\nSpUNet-v1m1 forward + backward, {voxels} voxels: {seconds:.2f} s')


def spunet_50k(repeats):
    import spconv.pytorch as spconv

    from projects.common.models import SpUNet
    g = torch.Generator().manual_seed(0)
    coords = torch.unique(torch.randint(0, 120, (52_000, 3), generator=g), dim=0)[:50_000]
    indices = torch.cat([torch.zeros(len(coords), 1, dtype=torch.long), coords], 1).int()
    x = spconv.SparseConvTensor(torch.randn(len(indices), 6), indices, [128] * 3, 1)
    net = SpUNet(in_channels=6, num_classes=20)

    def step():
        net.zero_grad()
        net(x).features.sum().backward()
    return len(indices), median_time(step, repeats)


if __name__ == '__main__':
    main()
