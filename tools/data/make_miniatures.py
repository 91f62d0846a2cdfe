"""Write miniatures of the real datasets in their official layouts (``tools/data/miniatures``)
under ``--out`` (default ``data/miniatures``), each at the path its paper config reads
relative to ``data/``: ``data/miniatures/coco`` mirrors ``data/coco``, and so on.

    python tools/data/make_miniatures.py                 # all of them
    python tools/data/make_miniatures.py coco voc        # some
    python tools/train.py CONFIG --cfg-options train_dataloader.dataset.data_root=...

A dataset already written by the same generator code (its ``.done`` marker holds the
code's hash) is skipped unless ``--force``.
"""
import argparse
import os
import os.path as osp
import shutil
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from tools.data.miniatures import (change, cityscapes, coco, events,  # noqa: E402
                                   imagenet, points3d, scannet, voc)

# name: (folder under --out, writer)
MINIATURES = {
    'imagenet': ('imagenet', imagenet.write),
    'coco': ('coco', coco.write),
    'voc': ('.', voc.write),  # writes VOCdevkit/
    'cityscapes': ('cityscapes', cityscapes.write),
    'levir-cd': ('levir_cd', change.write_levir),
    'whu-cd': ('whu_cd', change.write_whu),
    'dsec': ('dsec', events.write_dsec_with_points),
    'dsec-night': ('dsec_night', events.write_dsec_night),
    'ddd17': ('ddd17', events.write_ddd17_with_points),
    'scannet': ('scannet', scannet.write),
    'semantickitti': ('semantickitti', points3d.write_semantickitti),
    'modelnet40': ('modelnet40_normal_resampled', points3d.write_modelnet40),
    'scanobjectnn': ('scanobjectnn', points3d.write_scanobjectnn),
    'shapenet55': ('ShapeNet55-34', points3d.write_shapenet55),
}


def marker(out: str, name: str) -> str:
    return osp.join(out, f'.{name}.done')


def generator_version() -> str:
    """Hash of the generating code (writers, sample generators and the preparation tools
    in tools/data): a miniature written by other code is written again."""
    import glob
    import hashlib
    here = osp.dirname(osp.abspath(__file__))
    sources = sorted(glob.glob(osp.join(here, 'miniatures', '*.py')) +
                     glob.glob(osp.join(here, 'samples', '*.py')) +
                     glob.glob(osp.join(here, '*.py')))  # the preparation tools they run
    return hashlib.sha1(b''.join(open(p, 'rb').read() for p in sources)).hexdigest()[:12]


def make(name: str, out: str, force: bool = False) -> str:
    """Write one miniature (unless written before by the same code); return its root."""
    folder, writer = MINIATURES[name]
    root = osp.normpath(osp.join(out, folder))
    version = generator_version()
    done = marker(out, name)
    if not force and osp.isfile(done) and open(done).readline().strip() == version:
        return root
    if folder != '.' and osp.isdir(root):
        shutil.rmtree(root)
    os.makedirs(root, exist_ok=True)
    t0 = time.time()
    summary = writer(root)
    with open(done, 'w') as f:
        f.write(f'{version}\n{summary}\n')
    print(f'{name}: {summary} under {root} ({time.time() - t0:.0f} s)')
    return root


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('names', nargs='*', choices=[[]] + list(MINIATURES),
                        help='default: all')
    parser.add_argument('--out', default='data/miniatures')
    parser.add_argument('--force', action='store_true')
    args = parser.parse_args()
    for name in args.names or MINIATURES:
        make(name, args.out, args.force)


if __name__ == '__main__':
    main()
