"""Data-efficient splits: a fraction of the scenes (scans) of an mmdet3d info file.

    python tools/data/subsample_infos.py data/scannet/scannet_infos_train.pkl \
        --fractions 0.01 0.05 0.1 0.2 --seed 0
    python tools/data/subsample_infos.py data/semantickitti/semantickitti_infos_train.pkl \
        --fractions 0.001 0.01 0.1 0.5 --strategy uniform

writes ``scannet_infos_train_1pct_seed0.pkl`` (``_1pct_uniform.pkl`` for ``uniform``) next to
the input: the same ``metainfo`` and ``round(fraction * N)`` (at least 1) of its
``data_list``, in their original order: ``random`` draws them (seeded), ``uniform`` takes
evenly spaced entries of the ordered list (for SemanticKITTI: scans spread evenly over each
sequence, the reading of SegContrast's label fractions, rather than random neighbouring
frames). Point the downstream config at it with
``--cfg-options train_dataloader.dataset.ann_file=scannet_infos_train_1pct_seed0.pkl``.
For ScanNet's official limited-scene lists use the dataset's ``scene_list`` instead.
"""
import argparse
import os.path as osp
import pickle

import numpy as np


def subsample(infos: dict, fraction: float, seed: int, strategy: str = 'random') -> dict:
    data_list = infos['data_list']
    count = max(1, int(round(fraction * len(data_list))))
    if strategy == 'uniform':  # evenly spaced, centred in their strides
        keep = ((np.arange(count) + 0.5) * len(data_list) / count).astype(int)
    else:
        keep = np.sort(np.random.default_rng(seed).choice(len(data_list), count,
                                                          replace=False))
    return dict(infos, data_list=[data_list[i] for i in keep])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('infos')
    parser.add_argument('--fractions', type=float, nargs='+', default=[0.01, 0.05, 0.1, 0.2])
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--strategy', choices=['random', 'uniform'], default='random')
    args = parser.parse_args()
    if not osp.isfile(args.infos):
        raise SystemExit(f'error: {args.infos}: file not found')
    with open(args.infos, 'rb') as f:
        infos = pickle.load(f)
    if not isinstance(infos, dict) or 'data_list' not in infos:
        raise SystemExit(f'error: {args.infos}: not an mmdet3d info file (no data_list)')
    stem = osp.splitext(args.infos)[0]
    for fraction in args.fractions:
        if not 0 < fraction <= 1:
            raise SystemExit(f'error: fraction {fraction} is not in (0, 1]')
        tag = f'seed{args.seed}' if args.strategy == 'random' else 'uniform'
        out = f'{stem}_{fraction * 100:g}pct_{tag}.pkl'
        subset = subsample(infos, fraction, args.seed, args.strategy)
        with open(out, 'wb') as f:
            pickle.dump(subset, f)
        print(f'{out}: {len(subset["data_list"])} of {len(infos["data_list"])} scenes')


if __name__ == '__main__':
    main()
