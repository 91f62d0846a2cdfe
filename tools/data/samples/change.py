"""Bi-temporal change pairs on real imagery, with exactly known changes.

Ground: grass and gravel photographs (scikit-image) on a random partition. Buildings:
rectangles cut from real photographs (brick wall, camera man, coins). Date A shows the
persistent and the later demolished buildings, date B the persistent and the new ones; B
also gets a seasonal colour shift, an illumination (gamma) change and a sub-pixel
misregistration. The change mask is the union of demolished and new buildings.

It also writes stand-ins for a vision-language model's per-date outputs (``vlm/``):
6-class probability maps (house, building, road, grass, tree, water) and building
instances, made from the true building maps with missed buildings, false alarms, blur and
noise. They are simulated, not the output of a VLM (none can be downloaded here); the
change pseudo labels are then made from them by ``make_change_pseudo_labels.py``.
"""
import os
import os.path as osp
import subprocess
import sys

import numpy as np

from .imaging import texture_composite, texture_sources, to_rgb

VLM_CLASSES = ('house', 'building', 'road', 'grass', 'tree', 'water')
RATIOS = (5, 10, 20, 40)


def _roof_sources(split: str) -> list:
    from skimage import data
    sources = []
    for name in ('brick', 'camera', 'coins'):
        img = to_rgb(getattr(data, name)())
        cut = int(img.shape[1] * 0.6)
        sources.append(img[:, :cut] if split == 'train' else img[:, cut:])
    return sources


def _place(rng, size: int, taken: np.ndarray, tries: int = 30):
    """A free rectangle (top, left, h, w) with a 1-pixel gap to the others, or None."""
    for _ in range(tries):
        h, w = rng.integers(6, 15, 2)
        top, left = rng.integers(1, size - h), rng.integers(1, size - w)
        if not taken[max(top - 1, 0):top + h + 1, max(left - 1, 0):left + w + 1].any():
            taken[top:top + h, left:left + w] = True
            return int(top), int(left), int(h), int(w)
    return None


def change_pair(rng: np.random.Generator, grounds: dict, roofs: list, size: int = 64):
    """(A, B, change, buildings_A, buildings_B): uint8 images and bool masks, plus the
    building rectangles of each date."""
    from scipy import ndimage

    ground, _ = texture_composite(rng, grounds, size)
    taken = np.zeros((size, size), bool)
    kinds = {'kept': rng.integers(1, 4), 'gone': rng.integers(0, 3), 'new': rng.integers(0, 3)}
    boxes = {k: [b for b in (_place(rng, size, taken) for _ in range(n)) if b]
             for k, n in kinds.items()}
    img_a, img_b = ground.astype(np.float32), ground.astype(np.float32)
    for kind, rects in boxes.items():
        for top, left, h, w in rects:
            src = roofs[rng.integers(len(roofs))]
            y, x = rng.integers(0, src.shape[0] - h), rng.integers(0, src.shape[1] - w)
            patch = src[y:y + h, x:x + w].astype(np.float32)
            if kind in ('kept', 'gone'):
                img_a[top:top + h, left:left + w] = patch
            if kind in ('kept', 'new'):
                img_b[top:top + h, left:left + w] = patch
    gains = rng.uniform([0.85, 0.8, 0.85], [1.15, 1.2, 1.15])  # season
    gamma = rng.uniform(0.8, 1.25)  # illumination
    img_b = 255 * (np.clip(img_b * gains, 0, 255) / 255) ** gamma
    shift = rng.uniform(-1, 1, 2)  # misregistration
    img_b = ndimage.shift(img_b, (*shift, 0), order=1, mode='nearest')

    def mask(kinds_):
        m = np.zeros((size, size), bool)
        for kind in kinds_:
            for top, left, h, w in boxes[kind]:
                m[top:top + h, left:left + w] = True
        return m
    rects_a, rects_b = boxes['kept'] + boxes['gone'], boxes['kept'] + boxes['new']
    return (img_a.astype(np.uint8), np.clip(img_b, 0, 255).astype(np.uint8),
            mask(['gone', 'new']), (mask(['kept', 'gone']), rects_a),
            (mask(['kept', 'new']), rects_b))


def simulated_vlm(rng: np.random.Generator, rects: list, size: int, miss: float = 0.15,
                  false_alarm: float = 0.2):
    """(6, H, W) uint8 class probabilities (x255) and building instances (N, H, W) bool."""
    from scipy import ndimage
    detected = [r for r in rects if rng.random() >= miss]
    if rng.random() < false_alarm:
        h, w = rng.integers(4, 10, 2)
        detected.append((int(rng.integers(0, size - h)), int(rng.integers(0, size - w)),
                         int(h), int(w)))
    instances = np.zeros((len(detected), size, size), bool)
    for i, (top, left, h, w) in enumerate(detected):
        dy, dx = rng.integers(-1, 2, 2)
        top, left = np.clip(top + dy, 0, size - h), np.clip(left + dx, 0, size - w)
        instances[i, top:top + h, left:left + w] = True
    building = ndimage.gaussian_filter(instances.any(0).astype(np.float32), 1.0)
    building = np.clip(building * rng.uniform(0.85, 1.0) + rng.normal(0, 0.05, building.shape),
                       0, 1)
    probs = np.zeros((len(VLM_CLASSES), size, size), np.float32)
    probs[1] = building
    probs[3] = 1 - building
    return (probs * 255).round().astype(np.uint8), instances


def write_pairs(out: str, ids: dict, size: int, rng: np.random.Generator) -> None:
    """``A/``, ``B/``, ``label/`` PNGs and simulated VLM outputs (``vlm/{A,B}/``) of every id
    in ``ids`` ({split: [name, ...]}; train pairs from the train halves of the photographs)."""
    from PIL import Image
    from tqdm import tqdm

    for sub in ('A', 'B', 'label', 'vlm/A', 'vlm/B', 'splits'):
        os.makedirs(osp.join(out, sub), exist_ok=True)
    for split, names in ids.items():
        src = 'train' if split == 'train' else 'val'
        grounds = {k: v for k, v in texture_sources(src).items() if k in ('grass', 'gravel')}
        grounds = dict(brick=grounds['grass'], grass=grounds['grass'],
                       gravel=grounds['gravel'], moon=grounds['gravel'])
        roofs = _roof_sources(src)
        for name in tqdm(names, desc=f'change pairs ({split})'):
            img_a, img_b, change, (_, rects_a), (_, rects_b) = change_pair(rng, grounds, roofs,
                                                                           size)
            Image.fromarray(img_a).save(osp.join(out, 'A', f'{name}.png'))
            Image.fromarray(img_b).save(osp.join(out, 'B', f'{name}.png'))
            Image.fromarray(change.astype(np.uint8) * 255).save(
                osp.join(out, 'label', f'{name}.png'))
            for date, rects in (('A', rects_a), ('B', rects_b)):
                probs, instances = simulated_vlm(rng, rects, size)
                np.save(osp.join(out, 'vlm', date, f'{name}_probs.npy'), probs)
                np.savez_compressed(osp.join(out, 'vlm', date, f'{name}_instances.npz'),
                                    masks=instances, labels=np.ones(len(instances), np.int64))


def write_split_lists(out: str, ids: dict, seed: int, suffix: str = '') -> None:
    """``splits/{val,test}.txt`` and ``splits/<r>%/{labeled,unlabeled}.txt`` (seeded draw of
    r % of train); ``suffix`` is appended to every id (UniMatch's lists name files)."""
    def save(path, names):
        with open(path, 'w') as f:
            f.write(''.join(f'{n}{suffix}\n' for n in names))
    for split in ('val', 'test'):
        save(osp.join(out, 'splits', f'{split}.txt'), ids[split])
    split_rng = np.random.default_rng(seed + 1)
    num_train = len(ids['train'])
    for ratio in RATIOS:
        order = split_rng.permutation(num_train)
        count = max(1, round(num_train * ratio / 100))
        os.makedirs(osp.join(out, 'splits', f'{ratio}%'), exist_ok=True)
        for part, chosen in (('labeled', order[:count]), ('unlabeled', order[count:])):
            save(osp.join(out, 'splits', f'{ratio}%', f'{part}.txt'),
                 [ids['train'][i] for i in sorted(chosen)])


def write_change_pairs(out: str, num_train: int = 120, num_val: int = 24,
                       num_test: int = 24, size: int = 64, seed: int = 0) -> int:
    rng = np.random.default_rng(seed)
    ids = {split: [f'{split}_{i:04d}' for i in range(num)]
           for split, num in (('train', num_train), ('val', num_val), ('test', num_test))}
    write_pairs(out, ids, size, rng)
    write_split_lists(out, ids, seed)
    return num_train + num_val + num_test


def make_pseudo_labels(root: str) -> None:
    """Change and segmentation pseudo labels from ``vlm/`` (make_change_pseudo_labels.py)."""
    tool = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                    'make_change_pseudo_labels.py')
    subprocess.run([sys.executable, tool, root], check=True)


def write_change_samples(out: str) -> int:
    """Bi-temporal pairs and their pseudo labels (``tools/data/make_change_pseudo_labels.py``)."""
    num = write_change_pairs(out)
    make_pseudo_labels(out)
    return num
