"""LEVIR-CD and WHU-CD as UniMatch prepares them (256x256 crops) with UniMatch's split lists
copied into ``splits/``, plus the vision-language pseudo labels SemiCD-VL reads::

    levir_cd/{A,B,label}/train_<image>_<crop>.png   (val_*, test_*; label 0 / 255)
    whu_cd/{A,B,label}/whucd_<5 digits>.png
    <root>/splits/{5%,10%,20%,40%}/{labeled,unlabeled}.txt, splits/{val,test}.txt
                                    one file name per line, as UniMatch ships them
    <root>/vlm/{A,B}/<id>_probs.npy, <id>_instances.npz   (simulated VLM outputs)
    <root>/gen_cd_label/, gen_seg_label/{A,B}/             (make_change_pseudo_labels.py)
"""
import numpy as np

from ..samples.change import make_pseudo_labels, write_pairs, write_split_lists


def _levir_ids() -> dict:
    return {split: [f'{split}_{image}_{crop}' for image in (1, 2) for crop in (1, 2, 3)][:n]
            for split, n in (('train', 6), ('val', 2), ('test', 2))}


def _whu_ids() -> dict:
    names = [f'whucd_{i:05d}' for i in (8, 15, 17, 39, 43, 54, 65, 66, 69, 102)]
    return dict(train=names[:6], val=names[6:8], test=names[8:])


def write_dataset(root: str, ids: dict, seed: int = 0, size: int = 256) -> str:
    write_pairs(root, ids, size, np.random.default_rng(seed))
    write_split_lists(root, ids, seed, suffix='.png')
    make_pseudo_labels(root)
    return ', '.join(f'{k}: {len(v)}' for k, v in ids.items()) + f' pairs of {size}x{size}'


def write_levir(root: str, seed: int = 0) -> str:
    return write_dataset(root, _levir_ids(), seed)


def write_whu(root: str, seed: int = 0) -> str:
    return write_dataset(root, _whu_ids(), seed)
