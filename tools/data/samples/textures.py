"""``textures/``: a composite segmentation set. Each image is a random Voronoi partition of a
128x128 canvas; every cell is filled with a patch of one real texture photograph (brick,
grass, gravel, moon surface) and labelled with that texture. Train images take patches from
the left 60% of each photograph, val images from the right 40%, so no pixel is shared
between the splits."""
import json
import os
import os.path as osp

import numpy as np
from tqdm import tqdm

from .imaging import TEXTURES, texture_composite, texture_sources


def write_textures(out: str, num_train: int, num_val: int, size: int = 128,
                   seed: int = 0) -> dict:
    from skimage import io
    rng = np.random.default_rng(seed)
    for split, count in (('train', num_train), ('val', num_val)):
        sources = texture_sources(split)
        os.makedirs(osp.join(out, 'img_dir', split), exist_ok=True)
        os.makedirs(osp.join(out, 'ann_dir', split), exist_ok=True)
        for k in tqdm(range(count), desc=f'textures/{split}'):
            canvas, label = texture_composite(rng, sources, size)
            io.imsave(osp.join(out, 'img_dir', split, f'{k:04d}.png'), canvas,
                      check_contrast=False)
            io.imsave(osp.join(out, 'ann_dir', split, f'{k:04d}.png'), label,
                      check_contrast=False)
    meta = dict(classes=TEXTURES, size=size, seed=seed, num_train=num_train, num_val=num_val)
    with open(osp.join(out, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=2)
    return meta
