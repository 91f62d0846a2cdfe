"""ImageNet-1k as the official ILSVRC2012 train archive unpacks (what PixPro pretrains on)::

    imagenet/train/<wnid>/<wnid>_<n>.JPEG      JPEG, RGB, any size
    imagenet/val/ILSVRC2012_val_<8 digits>.JPEG

Labels are not used by pretraining; ``meta/`` (mmpretrain's list files) is not written, so
the dataset scans ``train/`` as a user's plain download does.
"""
import os
import os.path as osp

import numpy as np
from PIL import Image

from .scenes2d import crop_resized, photographs

WNIDS = ('n01440764', 'n01443537', 'n01484850')  # the first three ILSVRC2012 classes


def write(root: str, per_class: int = 4, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    photos = photographs()
    count = 0
    for wnid in WNIDS:
        os.makedirs(osp.join(root, 'train', wnid), exist_ok=True)
        for k in range(per_class):
            h, w = (int(v) for v in rng.integers(200, 400, 2))
            img = crop_resized(rng, photos[rng.integers(len(photos))], h, w)
            Image.fromarray(img).save(
                osp.join(root, 'train', wnid, f'{wnid}_{10026 + k}.JPEG'), quality=90)
            count += 1
    os.makedirs(osp.join(root, 'val'), exist_ok=True)
    for k in range(2):
        img = crop_resized(rng, photos[rng.integers(len(photos))], 256, 320)
        Image.fromarray(img).save(osp.join(root, 'val', f'ILSVRC2012_val_{k + 1:08d}.JPEG'))
    return f'{count} train images in {len(WNIDS)} classes, 2 val images'
