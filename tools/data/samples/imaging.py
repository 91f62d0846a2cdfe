"""What the sample sets share: scikit-image's real photographs as RGB, the texture photographs
split into disjoint train / val halves, and Voronoi composites of them."""

import numpy as np


# The texture photographs (brick, grass, gravel, moon) are kept out of images/: they are
# the source of the texture segmentation set, whose val split must stay unseen.
PHOTOS = ['astronaut', 'chelsea', 'coffee', 'rocket', 'camera', 'coins',
          'immunohistochemistry', 'hubble_deep_field', 'page', 'text', 'clock']
TEXTURES = ['brick', 'grass', 'gravel', 'moon']


def to_rgb(img: np.ndarray) -> np.ndarray:
    from skimage import img_as_ubyte
    img = img_as_ubyte(img)
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    return img[..., :3]


def voronoi_labels(rng: np.random.Generator, size: int, num_classes: int) -> np.ndarray:
    """Random partition of a size x size canvas into 2-5 cells, each given a class."""
    num_cells = rng.integers(2, 6)
    seeds = rng.uniform(0, size, (num_cells, 2))
    yy, xx = np.mgrid[:size, :size]
    dist = (yy[..., None] - seeds[:, 0]) ** 2 + (xx[..., None] - seeds[:, 1]) ** 2
    cell = dist.argmin(-1)
    cell_class = rng.integers(0, num_classes, num_cells)
    return cell_class[cell].astype(np.uint8)


def texture_sources(split: str) -> dict:
    """The texture photographs at a similar scale; train: left 60 %, val: right 40 %."""
    from skimage import data, transform
    sources = {}
    for name in TEXTURES:
        img = to_rgb(getattr(data, name)())
        if min(img.shape[:2]) > 384:  # bring textures to a similar scale
            img = (transform.rescale(img, 384 / min(img.shape[:2]), channel_axis=2,
                                     anti_aliasing=True) * 255).astype(np.uint8)
        cut = int(img.shape[1] * 0.6)
        sources[name] = img[:, :cut] if split == 'train' else img[:, cut:]
    return sources


def texture_composite(rng: np.random.Generator, sources: dict, size: int):
    """(size, size, 3) canvas of texture patches on a random Voronoi partition + labels."""
    label = voronoi_labels(rng, size, len(TEXTURES))
    canvas = np.zeros((size, size, 3), np.uint8)
    for c, name in enumerate(TEXTURES):
        src = sources[name]
        short = max(size - src.shape[0], 0), max(size - src.shape[1], 0)
        if any(short):  # a canvas larger than the photograph: mirror it out
            src = np.pad(src, ((0, short[0]), (0, short[1]), (0, 0)), mode='symmetric')
        top = rng.integers(0, src.shape[0] - size + 1)
        left = rng.integers(0, src.shape[1] - size + 1)
        patch = src[top:top + size, left:left + size]
        canvas[label == c] = patch[label == c]
    return canvas, label
