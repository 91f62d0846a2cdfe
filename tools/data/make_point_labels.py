"""Sparse point labels for an event segmentation dataset: k clicks per present class.

    python tools/data/make_point_labels.py DSECSemantic data/dsec --split train --k 1
    python tools/data/make_point_labels.py DDD17Seg data/ddd17 --split train --k 10

writes one PNG per labelled time (255 = unlabelled) where the dataset looks for it
(``points_path``: DSEC ``semantic/left/11classes/points_<k>/``, DDD17 ``dir<N>/points_<k>/``).
Each frame's points are drawn uniformly from its dense labels with a seed made from
``--seed`` and the frame's id, so a frame's clicks do not depend on which others exist.
The release ships its own sampled PNGs without the rule; point ``points_dir`` at those to
use them instead.
"""
import argparse
import os
import os.path as osp
import zlib


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('dataset', choices=['DSECSemantic', 'DDD17Seg', 'EventSegFolder'])
    parser.add_argument('data_root')
    parser.add_argument('--split', default='train')
    parser.add_argument('--k', type=int, default=1)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()

    from tqdm import tqdm

    from projects.common.cli import one_line_errors
    from projects.common.events import sample_point_labels, save_point_labels
    from projects.evwsss import datasets as data

    with one_line_errors():
        kwargs = dict(points=args.k) if args.dataset == 'EventSegFolder' else dict(
            points_dir=('semantic/left/11classes/' if args.dataset == 'DSECSemantic' else '')
            + f'points_{args.k}')
        dataset = getattr(data, args.dataset)(args.data_root, split=args.split,
                                              lazy_init=False, **kwargs)
        for i in tqdm(range(len(dataset)), desc='point labels'):
            info = dataset.get_data_info(i)
            dense = data.read_label(info['seg_map_path'], info.get('label_index'))
            seed = args.seed * 1_000_003 + zlib.crc32(info['sample_id'].encode())
            os.makedirs(osp.dirname(info['points_path']), exist_ok=True)
            save_point_labels(info['points_path'], sample_point_labels(dense, args.k, seed))
        print(f'wrote {len(dataset)} point label maps ({args.k} per class)')


if __name__ == '__main__':
    main()
