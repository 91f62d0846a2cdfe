"""Pascal VOC 2007 + 2012 as ``VOCtrainval_*.tar`` / ``VOCtest_06-Nov-2007.tar`` unpack, plus
the SBD augmentation as mmseg's ``tools/dataset_converters/voc_aug.py`` writes it::

    VOCdevkit/VOC20xx/JPEGImages/<id>.jpg
    VOCdevkit/VOC20xx/Annotations/<id>.xml            boxes (name, pose, truncated,
                                                       difficult, bndbox in 1-based pixels)
    VOCdevkit/VOC20xx/ImageSets/Main/{train,val,trainval[,test]}.txt
    VOCdevkit/VOC20xx/ImageSets/Segmentation/{train,val,trainval}.txt
    VOCdevkit/VOC20xx/SegmentationClass/<id>.png      palette PNG, 0..20, 255 on borders
    VOCdevkit/VOC2012/SegmentationClassAug/<id>.png   grey PNG, 0..20 (converter output)
    VOCdevkit/VOC2012/ImageSets/Segmentation/aug.txt

Ids as released: ``000005`` (2007), ``2008_000008`` (2012).
"""
import os
import os.path as osp
from xml.sax.saxutils import escape

import cv2
import numpy as np
from PIL import Image

from .scenes2d import labelled_scene, photographs, semantic_map, textures

CLASSES = ('aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair',
           'cow', 'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant',
           'sheep', 'sofa', 'train', 'tvmonitor')


def voc_palette() -> list:
    """The VOC colour map: bits of the class index spread over the high bits of R, G, B."""
    palette = []
    for index in range(256):
        r = g = b = 0
        c = index
        for shift in range(7, -1, -1):
            r |= (c & 1) << shift
            g |= ((c >> 1) & 1) << shift
            b |= ((c >> 2) & 1) << shift
            c >>= 3
        palette += [r, g, b]
    return palette


def annotation_xml(name: str, folder: str, width: int, height: int, objects: list) -> str:
    rows = [f'<annotation>\n\t<folder>{folder}</folder>\n\t<filename>{name}.jpg</filename>',
            f'\t<size>\n\t\t<width>{width}</width>\n\t\t<height>{height}</height>\n'
            '\t\t<depth>3</depth>\n\t</size>\n\t<segmented>1</segmented>']
    for obj in objects:
        x1, y1, x2, y2 = obj['bbox']  # pixel edges; VOC boxes are 1-based inclusive
        rows.append(
            f'\t<object>\n\t\t<name>{escape(CLASSES[obj["label"]])}</name>\n'
            '\t\t<pose>Unspecified</pose>\n\t\t<truncated>0</truncated>\n'
            f'\t\t<difficult>0</difficult>\n\t\t<bndbox>\n\t\t\t<xmin>{x1 + 1}</xmin>\n'
            f'\t\t\t<ymin>{y1 + 1}</ymin>\n\t\t\t<xmax>{x2}</xmax>\n\t\t\t<ymax>{y2}</ymax>\n'
            '\t\t</bndbox>\n\t</object>')
    return '\n'.join(rows) + '\n</annotation>\n'


def _write_lists(folder: str, lists: dict) -> None:
    os.makedirs(folder, exist_ok=True)
    for name, ids in lists.items():
        with open(osp.join(folder, f'{name}.txt'), 'w') as f:
            f.write(''.join(f'{i}\n' for i in ids))


def write_year(root: str, year: int, ids: dict, rng, photos, texture_photos,
               size=(375, 500), aug: bool = False) -> None:
    base = osp.join(root, 'VOCdevkit', f'VOC{year}')
    for sub in ('JPEGImages', 'Annotations', 'SegmentationClass') + (
            ('SegmentationClassAug', ) if aug else ()):
        os.makedirs(osp.join(base, sub), exist_ok=True)
    palette = voc_palette()
    for name in sorted(i for split in ids.values() for i in split):
        image, objects = labelled_scene(rng, *size, len(CLASSES), 3, photos, texture_photos)
        Image.fromarray(image).save(osp.join(base, 'JPEGImages', f'{name}.jpg'), quality=90)
        with open(osp.join(base, 'Annotations', f'{name}.xml'), 'w') as f:
            f.write(annotation_xml(name, f'VOC{year}', size[1], size[0], objects))
        label = semantic_map(objects, *size, background=0, label_offset=1)
        border = cv2.morphologyEx(label, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
        if aug:  # SBD: no border band
            Image.fromarray(label).save(osp.join(base, 'SegmentationClassAug', f'{name}.png'))
        outlined = label.copy()
        outlined[border] = 255
        png = Image.fromarray(outlined, mode='P')
        png.putpalette(palette)
        png.save(osp.join(base, 'SegmentationClass', f'{name}.png'))
    main = dict(ids, trainval=sorted(ids['train'] + ids['val']))
    _write_lists(osp.join(base, 'ImageSets', 'Main'), main)
    seg = {k: v for k, v in main.items() if k != 'test'}
    if aug:  # the converter's list: SBD train + val, minus VOC12 val
        seg['aug'] = sorted(ids['train'])
    _write_lists(osp.join(base, 'ImageSets', 'Segmentation'), seg)


def write(root: str, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    photos, texture_photos = photographs(), textures()
    write_year(root, 2007, dict(train=['000005', '000007'], val=['000009'],
                                test=['000001', '000002']), rng, photos, texture_photos)
    write_year(root, 2012, dict(train=['2008_000008', '2008_000015'], val=['2008_000009']),
               rng, photos, texture_photos, aug=True)
    return 'VOC2007: 3 trainval + 2 test images; VOC2012: 3 trainval images (+ SBD aug)'
