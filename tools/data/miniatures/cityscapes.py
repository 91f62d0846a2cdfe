"""Cityscapes as ``leftImg8bit_trainvaltest.zip`` + ``gtFine_trainvaltest.zip`` unpack, after
mmseg's converter (``tools/dataset_converters/cityscapes.py``) has added the train-id maps::

    cityscapes/leftImg8bit/{train,val}/<city>/<city>_<seq>_<frame>_leftImg8bit.png
    cityscapes/gtFine/{train,val}/<city>/<city>_<seq>_<frame>_gtFine_labelIds.png
    cityscapes/gtFine/{train,val}/<city>/<city>_<seq>_<frame>_gtFine_labelTrainIds.png

Images are 2048x1024 RGB PNGs as released; label maps uint8, train ids 0..18 and 255.
"""
import os
import os.path as osp

import numpy as np
from PIL import Image

from .scenes2d import labelled_scene, photographs, semantic_map, textures

CITIES = {'train': ('aachen', 'bochum'), 'val': ('frankfurt', )}
# (label id, train id) of the classes drawn: road as background; car, person, building, ...
OBJECT_IDS = ((26, 13), (24, 11), (11, 2), (21, 8), (20, 7))
ROAD = (7, 0)


def write(root: str, per_city: int = 1, size=(1024, 2048), seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    photos, texture_photos = photographs(), textures()
    count = 0
    for split, cities in CITIES.items():
        for city in cities:
            for folder in ('leftImg8bit', 'gtFine'):
                os.makedirs(osp.join(root, folder, split, city), exist_ok=True)
            for k in range(per_city):
                stem = f'{city}_{k:06d}_000019'
                image, objects = labelled_scene(rng, *size, len(OBJECT_IDS), 4, photos,
                                                texture_photos)
                index = semantic_map(objects, *size, background=len(OBJECT_IDS))
                ids = np.array([i for i, _ in OBJECT_IDS] + [ROAD[0]], np.uint8)
                train_ids = np.array([t for _, t in OBJECT_IDS] + [ROAD[1]], np.uint8)
                labels, trains = ids[index], train_ids[index]
                labels[:8], trains[:8] = 1, 255  # ego vehicle rows: id 1, ignored in training
                Image.fromarray(image).save(
                    osp.join(root, 'leftImg8bit', split, city, f'{stem}_leftImg8bit.png'))
                gt = osp.join(root, 'gtFine', split, city, stem)
                Image.fromarray(labels).save(f'{gt}_gtFine_labelIds.png')
                Image.fromarray(trains).save(f'{gt}_gtFine_labelTrainIds.png')
                count += 1
    return f'{count} images ({", ".join(f"{s}: {len(c) * per_city}" for s, c in CITIES.items())})'
