"""Sparse point labels for an event segmentation dataset: k clicks per present class.

    python tools/data/make_point_labels.py DSECSemantic data/dsec --split train --k 1
    python tools/data/make_point_labels.py DDD17Seg data/ddd17 --split train --k 10
    python tools/data/make_point_labels.py DDD17Seg data/ddd17 --k 1 --from-release
    python tools/data/make_point_labels.py DSECSemantic data/dsec --k 1 --from-release

writes one PNG per labelled time (255 = unlabelled) where the dataset looks for it
(``points_path``: DSEC ``semantic/left/11classes/points_<k>/``, DDD17 ``dir<N>/points_<k>/``,
named as the dense labels).
Each frame's points are drawn uniformly from its dense labels with a seed made from
``--seed`` and the frame's id, so a frame's clicks do not depend on which others exist.
The release ships its own sampled PNGs without the rule. ``--from-release`` takes those
instead: for each label it reads the authors' file (DSEC
``<sequence>/11classes_weak_<k>point_per_class/<label file name>``, put inside each
sequence folder; DDD17 ``dir<N>/weak_<k>point_per_class/<label file name>`` as the release
unpacks), checks it against the dense label (same size; every clicked pixel holds a class
and agrees with the dense label there) and writes it where the dataset looks.
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
    parser.add_argument('--from-release', action='store_true',
                        help="copy the authors' released point labels, checked")
    args = parser.parse_args()

    from tqdm import tqdm

    from projects.common.cli import one_line_errors
    from projects.common.events import sample_point_labels, save_point_labels
    from projects.evwsss import datasets as data

    if args.from_release and args.dataset == 'EventSegFolder':
        parser.error('--from-release reads the DSEC and DDD17 release layouts only')
    with one_line_errors():
        kwargs = dict(points=args.k) if args.dataset == 'EventSegFolder' else dict(
            points_dir=('semantic/left/11classes/' if args.dataset == 'DSECSemantic' else '')
            + f'points_{args.k}')
        dataset = getattr(data, args.dataset)(args.data_root, split=args.split,
                                              lazy_init=False, **kwargs)
        for i in tqdm(range(len(dataset)), desc='point labels'):
            info = dataset.get_data_info(i)
            dense = data.read_label(info['seg_map_path'])
            if args.from_release:
                points = release_points(release_path(args, info), info, dense,
                                        len(dataset.metainfo['classes']))
            else:
                seed = args.seed * 1_000_003 + zlib.crc32(info['sample_id'].encode())
                points = sample_point_labels(dense, args.k, seed)
            os.makedirs(osp.dirname(info['points_path']), exist_ok=True)
            save_point_labels(info['points_path'], points)
        source = 'from the release' if args.from_release else f'{args.k} per class'
        print(f'wrote {len(dataset)} point label maps ({source})')


def release_path(args, info: dict) -> str:
    """Where the authors ship the point labels of a dense label: DSEC
    ``<split>/<sequence>/11classes_weak_<k>point_per_class/<name>``, DDD17
    ``dir<N>/weak_<k>point_per_class/<name>``."""
    name = osp.basename(info['seg_map_path'])
    if args.dataset == 'DDD17Seg':
        return osp.join(info['events_path'], f'weak_{args.k}point_per_class', name)
    sequence = info['sample_id'].split('/')[0]
    return osp.join(args.data_root, args.split, sequence,
                    f'11classes_weak_{args.k}point_per_class', name)


def release_points(path: str, info: dict, dense, num_classes: int):
    """The authors' point labels of one dense label, checked against it."""
    import numpy as np

    from projects.common.errors import SampleFileError
    from projects.evwsss import datasets as data
    points = data.read_label(path)
    if points.shape != dense.shape:
        raise SampleFileError(f'{path}: point labels of shape {points.shape}, the dense '
                              f'label {info["seg_map_path"]} is {dense.shape}')
    clicked = points != 255
    if (points[clicked] >= num_classes).any():
        raise SampleFileError(f'{path}: class ids {sorted(set(points[clicked].tolist()))} '
                              f'outside 0..{num_classes - 1} (255 = unlabelled)')
    wrong = int((clicked & (points != dense)).sum())
    if wrong:
        raise SampleFileError(f'{path}: {wrong} of {int(clicked.sum())} clicked pixels '
                              f'disagree with the dense label {info["seg_map_path"]}')
    return points.astype(np.uint8)


if __name__ == '__main__':
    main()
