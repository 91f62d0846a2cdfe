"""COCO 2017 as ``train2017.zip``, ``val2017.zip`` and ``annotations_trainval2017.zip``
unpack::

    coco/annotations/instances_{train,val}2017.json
    coco/{train,val}2017/<12-digit image id>.jpg

The json has COCO's keys (info, licenses, images, annotations, categories); annotations
carry ``segmentation`` polygons ([x1, y1, x2, y2, ...]), ``area`` (of the mask), ``bbox``
([x, y, w, h]), ``iscrowd`` 0; the 80 categories keep their official, non-contiguous ids.
"""
import json
import os
import os.path as osp

import numpy as np
from PIL import Image

from .scenes2d import labelled_scene, photographs, textures

CLASSES = (
    'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat',
    'traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat',
    'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'backpack',
    'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball',
    'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket',
    'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple',
    'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair',
    'couch', 'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse',
    'remote', 'keyboard', 'cell phone', 'microwave', 'oven', 'toaster', 'sink',
    'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier',
    'toothbrush')
UNUSED_IDS = (12, 26, 29, 30, 45, 66, 68, 69, 71, 83)  # ids 1..90 that COCO leaves empty
CATEGORY_IDS = tuple(i for i in range(1, 91) if i not in UNUSED_IDS)


def categories() -> list:
    return [dict(id=i, name=n, supercategory='object') for i, n in zip(CATEGORY_IDS, CLASSES)]


def write_split(root: str, split: str, image_ids: list, rng, photos, texture_photos,
                first_ann_id: int) -> int:
    folder = osp.join(root, f'{split}2017')
    os.makedirs(folder, exist_ok=True)
    images, annotations = [], []
    for image_id in image_ids:
        h, w = (int(v) for v in rng.integers(320, 480, 2))
        image, objects = labelled_scene(rng, h, w, len(CLASSES), 3, photos, texture_photos)
        name = f'{image_id:012d}.jpg'
        Image.fromarray(image).save(osp.join(folder, name), quality=90)
        images.append(dict(id=image_id, file_name=name, height=h, width=w, license=1,
                           date_captured='2013-11-14 16:28:13'))
        for obj in objects:
            x1, y1, x2, y2 = obj['bbox']
            annotations.append(dict(
                id=first_ann_id + len(annotations), image_id=image_id,
                category_id=CATEGORY_IDS[obj['label']], iscrowd=0,
                segmentation=[np.round(obj['polygon'], 2).ravel().tolist()],
                area=float(obj['mask'].sum()), bbox=[x1, y1, x2 - x1, y2 - y1]))
    ann_dir = osp.join(root, 'annotations')
    os.makedirs(ann_dir, exist_ok=True)
    with open(osp.join(ann_dir, f'instances_{split}2017.json'), 'w') as f:
        json.dump(dict(info=dict(description='COCO 2017 miniature', version='1.0',
                                 year=2017),
                       licenses=[dict(id=1, name='miniature', url='')], images=images,
                       annotations=annotations, categories=categories()), f)
    return len(annotations)


def write(root: str, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    photos, texture_photos = photographs(), textures()
    n_train = write_split(root, 'train', [9, 25, 30], rng, photos, texture_photos, 1)
    n_val = write_split(root, 'val', [139, 285], rng, photos, texture_photos, 900100)
    return f'train2017: 3 images, {n_train} objects; val2017: 2 images, {n_val} objects'
