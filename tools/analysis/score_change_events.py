"""Score the change pseudo labels alone against the ground truth (what the networks learn from).

    python tools/analysis/score_change_events.py data/samples/change [--split-file splits/test.txt]

Reads ``<root>/gen_cd_label/<id>.png`` (change 1, unchanged 0, not labelled 255: counted as
unchanged, since the pseudo label claims no change there) and ``<root>/label/<id>.png``
(change where the value is ``--change-value``), and prints mmseg-style change metrics over
all listed pairs (``ChangeMetric``, the metric of the trained models).
"""
import argparse
import glob
import os.path as osp


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('root')
    parser.add_argument('--split-file', help='ids to score, relative to root (default: all)')
    parser.add_argument('--pseudo-dir', default='gen_cd_label')
    parser.add_argument('--change-value', type=int, default=255)
    args = parser.parse_args()

    import numpy as np
    import torch
    from PIL import Image
    from tqdm import tqdm

    from projects.common.cli import one_line_errors
    from projects.common.errors import SampleFileError, check_file
    from projects.semicd_vl.datasets import read_split_ids
    from projects.semicd_vl.metrics import ChangeMetric

    with one_line_errors():
        if args.split_file:
            ids = read_split_ids(osp.join(args.root, args.split_file))
        else:
            ids = sorted(osp.splitext(osp.basename(p))[0]
                         for p in glob.glob(osp.join(args.root, args.pseudo_dir, '*.png')))
        if not ids:
            raise SampleFileError(f'{osp.join(args.root, args.pseudo_dir)}: no pseudo labels')
        metric = ChangeMetric()
        metric.dataset_meta = dict(classes=('unchanged', 'changed'))
        for name in tqdm(ids, desc='scoring'):
            paths = [osp.join(args.root, sub, f'{name}.png') for sub in (args.pseudo_dir, 'label')]
            for path in paths:
                check_file(path)
            pseudo, label = (np.array(Image.open(p)) for p in paths)
            if pseudo.shape != label.shape:
                raise SampleFileError(f'{paths[0]}: size {pseudo.shape}, the label {label.shape}')
            metric.process(None, [dict(
                pred_sem_seg=dict(data=torch.from_numpy((pseudo == 1)[None].astype(np.int64))),
                gt_sem_seg=dict(data=torch.from_numpy(
                    (label == args.change_value)[None].astype(np.int64))))])
        out = metric.compute_metrics(metric.results)
    print(f'\nchange pseudo labels vs ground truth, {len(ids)} pairs:\n')
    print('| pairs | IoU changed | F1 changed | precision | recall | OA |')
    print('|---|---|---|---|---|---|')
    print(f'| {len(ids)} | ' + ' | '.join(f'{out[k]:.2f}' for k in (
        'IoU_changed', 'F1_changed', 'Precision_changed', 'Recall_changed', 'OA')) + ' |')


if __name__ == '__main__':
    main()
