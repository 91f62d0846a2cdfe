"""Distillation with contrast on this machine: FPS / k-NN throughput against straightforward
implementations, and one training step of the paper-size model.

    python benchmarks/point_distill_speed.py [--repeats 3] [--batch 8]

Ours and the peers run in turn in one process; speed-up = peer time / our time.

Rows:
* farthest point sampling of 64 centres (and 512) from 1024-point clouds: ours (batched
  torch, incremental nearest distance) vs a per-cloud NumPy loop that recomputes every
  point's distance to all chosen centres at each step;
* k-NN: ours (``knn``: batched cdist + topk, a k-d tree for large clouds on the CPU) vs a
  per-query NumPy argsort and vs scipy's cKDTree built per cloud (what a CPU user would
  pick), at the distillation's size (32-NN of 64 centres in 1024 points) and larger;
* one PointDistillation step (forward, backward, AdamW, EMA) with the paper config's model
  (192-d, 12 blocks, 2 x 1024-point global + 8 x 256-point local crops) at ``--batch``.
"""
import argparse
import os.path as osp


import numpy as np
import torch
from timing import alternating_times, median_time

from projects.common.models.point_ops import farthest_point_sample, knn

PAPER = 'configs/point_distill/pointdistill_pointvit_8xb8-300e_modelnet40.py'


def naive_fps(xyz: np.ndarray, num: int) -> list:
    chosen = [0]
    for _ in range(num - 1):
        dist = np.linalg.norm(xyz[:, None] - xyz[chosen][None], axis=-1).min(1)
        chosen.append(int(dist.argmax()))
    return chosen


def naive_knn(query: np.ndarray, ref: np.ndarray, k: int) -> list:
    return [np.argsort(np.linalg.norm(ref - q, axis=1))[:k] for q in query]


def kdtree_knn(query: np.ndarray, ref: np.ndarray, k: int) -> list:
    from scipy.spatial import cKDTree
    return [cKDTree(r).query(q, k)[1] for q, r in zip(query, ref)]


def paper_step(batch: int):
    from mmengine import Config
    from mmengine.logging import MessageHub
    from mmpretrain.registry import MODELS

    import projects.point_distill  # noqa: F401
    cfg = Config.fromfile(osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), PAPER))
    MessageHub.get_current_instance().update_info('max_iters', 1000)
    model = MODELS.build(cfg.model)
    optim = torch.optim.AdamW(model.parameters(), lr=1e-4)
    crops = [torch.rand(batch, 1024, 3) for _ in range(2)] + \
        [torch.rand(batch, 256, 3) for _ in range(8)]

    def step():
        losses = model.loss(crops)
        optim.zero_grad()
        sum(losses.values()).backward()
        optim.step()
    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--no-step', action='store_true', help='skip the paper-size step')
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    clouds = rng.random((args.batch, 1024, 3)).astype(np.float32)
    tensor = torch.from_numpy(clouds)
    rows = []
    for num in (64, 512):
        times = alternating_times({'ours': lambda: farthest_point_sample(tensor, num),
                                   'NumPy': lambda: [naive_fps(c, num) for c in clouds]},
                                  args.repeats)
        rows.append((f'FPS {num} of 1024 points, {args.batch} clouds', args.batch, times))
    for centres, points, k in ((64, 1024, 32), (512, 8192, 32)):
        ref = torch.from_numpy(rng.random((args.batch, points, 3)).astype(np.float32))
        query = ref[:, :centres]
        times = alternating_times({
            'ours': lambda: knn(query, ref, k),
            'NumPy': lambda: [naive_knn(q, r, k) for q, r in zip(query.numpy(), ref.numpy())],
            'scipy cKDTree': lambda: kdtree_knn(query.numpy(), ref.numpy(), k)}, args.repeats)
        rows.append((f'{k}-NN of {centres} centres in {points} points, {args.batch} clouds',
                     args.batch, times))
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads\n')
    print('| operation | ours | NumPy loop | speed-up | scipy cKDTree | speed-up |\n'
          '|---|---|---|---|---|---|')
    for name, count, times in rows:
        cells = [f'{count / times[k]:.1f} clouds/s | {times[k] / times["ours"]:.2f}x'
                 if k in times else '— | —' for k in ('NumPy', 'scipy cKDTree')]
        print(f'| {name} | {count / times["ours"]:.1f} clouds/s | ' + ' | '.join(cells) + ' |')
    if args.no_step:
        return
    seconds = median_time(paper_step(args.batch), args.repeats)
    print(f'\n| paper-size PointDistillation step, batch {args.batch} (2 global + 8 local crops) '
          f'| {seconds:.2f} s |')


if __name__ == '__main__':
    main()
