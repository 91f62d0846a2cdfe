"""Put APE's outputs where ``DiskVLMOutputs`` (``make_change_pseudo_labels.py --labeller
disk``) reads them.

SemiCD-VL runs APE's ``demo/demo_lazy.py ... --with-sseg`` on every A and B image, which
writes per image ``<out>/<date>/<image name>.npy`` (class probabilities, float (6, H, W)
for the prompt "house,building,road,grass,tree,water") and ``<image name>.json`` (a list of
instances with a COCO RLE ``segmentation`` and a ``category_id`` in 0..5).

    python tools/data/convert_ape_outputs.py APE_output/levir-cd_pseudo-label_ape_prob \
        data/levir_cd
    python tools/data/make_change_pseudo_labels.py data/levir_cd --labeller disk

writes ``<root>/vlm/<date>/<name>_probs.npy`` (uint8, probability x 255: a quarter of the
size) and ``<name>_instances.json`` after checking every file: probabilities of shape
(classes, H, W) in [0, 1] and the size of the pair's image, RLE masks of that size. A bad
file stops the run with one line naming it; files already converted are rewritten.
"""
import argparse
import glob
import json
import os
import os.path as osp


def convert_probabilities(src: str, dst: str, image_shape, num_classes: int):
    import numpy as np

    from projects.common.errors import SampleFileError
    try:
        probs = np.load(src, allow_pickle=False)
    except Exception as err:
        raise SampleFileError(f'{src}: cannot read ({type(err).__name__}: {err})') from err
    if probs.shape != (num_classes, *image_shape):
        raise SampleFileError(f'{src}: probabilities of shape {probs.shape}, expected '
                              f'({num_classes}, {image_shape[0]}, {image_shape[1]}) for its image')
    if probs.dtype != np.uint8:
        if not np.isfinite(probs).all() or probs.min() < 0 or probs.max() > 1:
            raise SampleFileError(f'{src}: probabilities outside [0, 1] (or NaN)')
        probs = np.round(probs * 255).astype(np.uint8)
    np.save(dst, probs)


def convert_instances(src: str, dst: str, image_shape, num_classes: int) -> int:
    from projects.common.errors import SampleFileError
    from projects.semicd_vl.labellers import _compressed_rle
    try:
        with open(src) as f:
            items = json.load(f)
    except Exception as err:
        raise SampleFileError(f'{src}: cannot read ({type(err).__name__}: {err})') from err
    if not isinstance(items, list):
        raise SampleFileError(f'{src}: expected a list of instances, got {type(items).__name__}')
    for i, item in enumerate(items):
        if not isinstance(item, dict) or 'segmentation' not in item or 'category_id' not in item:
            raise SampleFileError(f'{src}: instance {i} lacks segmentation or category_id')
        if not 0 <= int(item['category_id']) < num_classes:
            raise SampleFileError(f'{src}: instance {i} has category_id {item["category_id"]} '
                                  f'(the prompt has {num_classes} classes)')
        rle = _compressed_rle(item['segmentation'], src[:-len('.json')])
        if tuple(rle['size']) != tuple(image_shape):
            raise SampleFileError(f'{src}: instance {i} mask of size {tuple(rle["size"])}, '
                                  f'the image is {tuple(image_shape)}')
    with open(dst, 'w') as f:
        json.dump(items, f)
    return len(items)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('ape_dir', help='APE output folder with A/ and B/')
    parser.add_argument('root', help='the change dataset (A/, B/ images)')
    parser.add_argument('--vlm-dir', default='vlm', help='output folder under root')
    parser.add_argument('--num-classes', type=int, default=6)
    args = parser.parse_args()

    from PIL import Image
    from tqdm import tqdm

    from projects.common.cli import one_line_errors
    from projects.common.errors import SampleFileError

    with one_line_errors():
        counts = dict(images=0, instances=0)
        for date in ('A', 'B'):
            sources = sorted(glob.glob(osp.join(args.ape_dir, date, '*.npy')))
            if not sources:
                raise FileNotFoundError(f'{osp.join(args.ape_dir, date)}: no APE .npy outputs')
            out_dir = osp.join(args.root, args.vlm_dir, date)
            os.makedirs(out_dir, exist_ok=True)
            for src in tqdm(sources, desc=f'APE outputs {date}'):
                name = osp.splitext(osp.basename(src))[0]
                image = osp.join(args.root, date, f'{name}.png')
                if not osp.isfile(image):
                    raise SampleFileError(f'{src}: its image {image} not found')
                with Image.open(image) as img:
                    shape = (img.height, img.width)
                json_src = src[:-len('.npy')] + '.json'
                if not osp.isfile(json_src):
                    raise SampleFileError(f'{json_src}: instances not found (APE writes one '
                                          'next to each .npy with --with-sseg)')
                convert_probabilities(src, osp.join(out_dir, f'{name}_probs.npy'), shape,
                                      args.num_classes)
                counts['instances'] += convert_instances(
                    json_src, osp.join(out_dir, f'{name}_instances.json'), shape,
                    args.num_classes)
                counts['images'] += 1
        print(f'converted {counts["images"]} images ({counts["instances"]} instances) into '
              f'{osp.join(args.root, args.vlm_dir)}')


if __name__ == '__main__':
    main()
