"""The README's "paper configs on their miniatures" table, from the times the paper tests
(``pytest -m paper``, ``tests/paper/``) record in ``data/miniatures/times.jsonl``.

    python -m pytest -m paper tests/paper && python tools/analysis/paper_times.py

Every paper config is listed (a config is a paper config when it names a real dataset);
one without a recorded run says so. The time is that of the latest run: tools/train.py
(>= 2 iterations) plus tools/test.py, on this machine's CPU.
"""
import argparse
import glob
import json
import os.path as osp

DATASETS = ('in1k', 'cityscapes', 'voc', 'coco', 'levir', 'whu', 'dsec', 'ddd17',
            'scannet', 'semantickitti', 'modelnet40', 'scanobjectnn', 'shapenet', 'nuscenes')


def paper_configs(root: str = '.') -> list:
    paths = glob.glob(osp.join(root, 'configs', '**', '*.py'), recursive=True)
    return sorted(osp.relpath(p, root) for p in paths
                  if '_base_' not in p and not osp.basename(p).startswith('_')
                  and any(d in osp.basename(p) for d in DATASETS))


def latest_times(path: str) -> dict:
    times = {}
    if osp.isfile(path):
        with open(path) as f:
            for line in f:
                rec = json.loads(line)
                times[rec['config']] = rec['seconds']
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--times', default='data/miniatures/times.jsonl')
    args = parser.parse_args()
    times = latest_times(args.times)
    print('| paper config | runs on its miniature |')
    print('|---|---|')
    for config in paper_configs():
        seconds = times.get(config)
        state = f'yes, {seconds:.0f} s' if seconds is not None else 'not run yet'
        print(f'| `{config}` | {state} |')
    done = sum(c in times for c in paper_configs())
    print(f'\n{done} of {len(paper_configs())} paper configs ran on their miniature')


if __name__ == '__main__':
    main()
