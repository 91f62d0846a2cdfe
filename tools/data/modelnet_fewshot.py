"""Few-shot ModelNet40 episodes (N-way K-shot, the protocol Point-BERT / Point-MAE report):
for each fold, N random classes, K random support objects of each from the train split and
``--query`` (20) random objects of each from the test split.

    python tools/data/modelnet_fewshot.py data/modelnet40_normal_resampled \
        --ways 5 10 --shots 10 20 --folds 10 --seed 0

writes ``<root>/fewshot/<N>way<K>shot/<fold>.json`` (``classes``: the N names, whose order
gives the labels 0..N-1; ``train`` / ``test``: object names), which
``PointObjectFolder(episode=...)`` reads; ``tools/analysis/point_fewshot.py`` fine-tunes on
each fold and prints mean ± std. Point-BERT ships its own 10 folds as pickles of the
sampled points; these are drawn here from the same splits (seeded), so the folds are not
Point-BERT's (their files are not read: unpickling them could run code).
"""
import argparse
import json
import os
import os.path as osp

import numpy as np


def episodes(train: dict, test: dict, ways: int, shots: int, query: int, folds: int,
             seed: int) -> list:
    """``folds`` episodes from {class: names} of the train and test splits."""
    from projects.common.errors import SampleFileError
    eligible = sorted(c for c in train if len(train[c]) >= shots and
                      len(test.get(c, ())) >= query)
    if len(eligible) < ways:
        raise SampleFileError(f'{ways}-way {shots}-shot needs {ways} classes with {shots} '
                              f'train and {query} test objects; only {len(eligible)} have them')
    rng = np.random.default_rng([seed, ways, shots])
    out = []
    for _ in range(folds):
        classes = [eligible[i] for i in rng.choice(len(eligible), ways, replace=False)]
        out.append(dict(
            classes=classes,
            train=[n for c in classes for n in rng.choice(train[c], shots, replace=False)],
            test=[n for c in classes for n in rng.choice(test[c], query, replace=False)]))
    return out


def by_class(path: str) -> dict:
    from projects.common.errors import check_file
    check_file(path)
    groups = {}
    with open(path) as f:
        for name in (line.strip() for line in f):
            if name:
                groups.setdefault(name.rsplit('_', 1)[0], []).append(name)
    return groups


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('root')
    parser.add_argument('--ways', type=int, nargs='+', default=[5, 10])
    parser.add_argument('--shots', type=int, nargs='+', default=[10, 20])
    parser.add_argument('--query', type=int, default=20)
    parser.add_argument('--folds', type=int, default=10)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--prefix', default='modelnet40')
    args = parser.parse_args()

    from projects.common.cli import one_line_errors
    with one_line_errors():
        train = by_class(osp.join(args.root, f'{args.prefix}_train.txt'))
        test = by_class(osp.join(args.root, f'{args.prefix}_test.txt'))
        for ways in args.ways:
            for shots in args.shots:
                folder = osp.join(args.root, 'fewshot', f'{ways}way{shots}shot')
                os.makedirs(folder, exist_ok=True)
                for fold, episode in enumerate(episodes(train, test, ways, shots, args.query,
                                                        args.folds, args.seed)):
                    with open(osp.join(folder, f'{fold}.json'), 'w') as f:
                        json.dump(episode, f, indent=1)
                print(f'{folder}: {args.folds} folds')


if __name__ == '__main__':
    main()
