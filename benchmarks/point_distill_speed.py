"""Distillation with contrast on this machine: FPS / k-NN throughput against straightforward
implementations, and one training step of the paper-size model.

    python benchmarks/point_distill_speed.py [--repeats 3] [--batch 8]

Rows:
* farthest point sampling of 64 centres (and 512) from 1024-point clouds: ours (batched
  torch, incremental nearest distance) vs a per-cloud NumPy loop that recomputes every
  point's distance to all chosen centres at each step;
* 32-NN of 64 centres in 1024 points: ours (cdist + topk, batched) vs a per-query argsort;
* one PointDistillation step (forward, backward, AdamW, EMA) with the paper config's model
  (192-d, 12 blocks, 2 x 1024-point global + 8 x 256-point local crops) at ``--batch``.
"""
import argparse
import os.path as osp


import numpy as np
import torch
from timing import median_time

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
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    clouds = rng.random((args.batch, 1024, 3)).astype(np.float32)
    tensor = torch.from_numpy(clouds)
    rows = []
    for num in (64, 512):
        ours = median_time(lambda: farthest_point_sample(tensor, num), args.repeats)
        naive = median_time(lambda: [naive_fps(c, num) for c in clouds], args.repeats)
        rows.append((f'FPS {num} of 1024 points, {args.batch} clouds', args.batch / ours,
                     args.batch / naive, 'clouds/s'))
    centres = tensor[:, :64]
    ours = median_time(lambda: knn(centres, tensor, 32), args.repeats)
    naive = median_time(lambda: [naive_knn(c[:64], c, 32) for c in clouds], args.repeats)
    rows.append((f'32-NN of 64 centres in 1024 points, {args.batch} clouds',
                 args.batch / ours, args.batch / naive, 'clouds/s'))
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads\n')
    print('| operation | ours | straightforward | speed-up |\n|---|---|---|---|')
    for name, fast, slow, unit in rows:
        print(f'| {name} | {fast:.1f} {unit} | {slow:.1f} {unit} | {fast / slow:.2g}x |')
    seconds = median_time(paper_step(args.batch), args.repeats)
    print(f'\n| paper-size PointDistillation step, batch {args.batch} (2 global + 8 local crops) '
          f'| {seconds:.2f} s |')


if __name__ == '__main__':
    main()
