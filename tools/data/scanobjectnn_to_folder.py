"""ScanObjectNN's HDF5 release -> the ModelNet-style folder layout ``PointObjectFolder`` reads.

    python tools/data/scanobjectnn_to_folder.py data/scanobjectnn/main_split \
        --variant objectdataset_augmentedrot_scale75 --out data/scanobjectnn/pb_t50_rs

Reads ``training_<variant>.h5`` and ``test_<variant>.h5`` (datasets ``data`` (N, 2048, 3)
and ``label`` (N,)), writes ``<out>/<class>/<class>_NNNN.npy`` and
``scanobjectnn_{shape_names,train,test}.txt``. Variants: ``objectdataset`` (OBJ_BG),
``objectdataset_augmentedrot_scale75`` (PB_T50_RS, the hardest); OBJ_ONLY is the same names
under ``main_split_nobg``.
"""
import argparse
import os
import os.path as osp

import numpy as np
from tqdm import tqdm

CLASSES = ('bag', 'bin', 'box', 'cabinet', 'chair', 'desk', 'display', 'door', 'shelf',
           'table', 'bed', 'pillow', 'sink', 'sofa', 'toilet')


def convert(src: str, variant: str, out: str) -> dict:
    import h5py
    counts = {}
    index = {c: 0 for c in CLASSES}
    for split, prefix in (('train', 'training'), ('test', 'test')):
        path = osp.join(src, f'{prefix}_{variant}.h5')
        if not osp.isfile(path):
            raise SystemExit(f'error: {path}: file not found')
        with h5py.File(path, 'r') as f:
            if 'data' not in f or 'label' not in f:
                raise SystemExit(f'error: {path}: expected datasets "data" and "label"')
            data, labels = f['data'], np.asarray(f['label']).reshape(-1)
            if len(data) != len(labels) or data.ndim != 3 or data.shape[2] < 3:
                raise SystemExit(f'error: {path}: data {data.shape} and label {labels.shape} '
                                 'do not describe (N, points, 3) objects')
            names = []
            for i in tqdm(range(len(labels)), desc=f'{variant} {split}'):
                if not 0 <= labels[i] < len(CLASSES):
                    raise SystemExit(f'error: {path}: object {i} has label {labels[i]}, '
                                     f'expected 0..{len(CLASSES) - 1}')
                cls = CLASSES[labels[i]]
                index[cls] += 1
                name = f'{cls}_{index[cls]:04d}'
                os.makedirs(osp.join(out, cls), exist_ok=True)
                np.save(osp.join(out, cls, name + '.npy'), np.asarray(data[i][:, :3], np.float32))
                names.append(name)
        with open(osp.join(out, f'scanobjectnn_{split}.txt'), 'w') as f:
            f.write('\n'.join(names) + '\n')
        counts[split] = len(names)
    with open(osp.join(out, 'scanobjectnn_shape_names.txt'), 'w') as f:
        f.write('\n'.join(CLASSES) + '\n')
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='folder with training_<variant>.h5 and test_<variant>.h5')
    parser.add_argument('--variant', default='objectdataset_augmentedrot_scale75')
    parser.add_argument('--out', required=True)
    args = parser.parse_args()
    counts = convert(args.src, args.variant, args.out)
    print(f'wrote {counts["train"]} train / {counts["test"]} test objects to {args.out}')


if __name__ == '__main__':
    main()
