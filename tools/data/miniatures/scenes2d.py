"""Labelled 2-D scenes for the image miniatures: a real photograph as background and
polygon objects filled with real texture photographs, with exact masks, boxes and polygons."""
import cv2
import numpy as np

from ..samples.imaging import PHOTOS, TEXTURES, to_rgb


def photographs() -> list:
    """scikit-image's photographs as RGB arrays (those that need no download)."""
    from skimage import data
    out = []
    for name in PHOTOS:
        try:
            out.append(to_rgb(getattr(data, name)()))
        except Exception:  # an image needing a download is left out
            continue
    return out


def textures() -> list:
    from skimage import data
    return [to_rgb(getattr(data, name)()) for name in TEXTURES]


def crop_resized(rng, img: np.ndarray, height: int, width: int) -> np.ndarray:
    """A random crop of ``img`` with the aspect of (height, width), resized to it."""
    h, w = img.shape[:2]
    scale = min(h / height, w / width) * rng.uniform(0.6, 1.0)
    ch, cw = max(int(height * scale), 1), max(int(width * scale), 1)
    top, left = rng.integers(0, h - ch + 1), rng.integers(0, w - cw + 1)
    return cv2.resize(img[top:top + ch, left:left + cw], (width, height),
                      interpolation=cv2.INTER_AREA)


def random_polygon(rng, height: int, width: int) -> np.ndarray:
    """(K, 2) float x, y vertices of a convex-ish star polygon inside the image."""
    size = rng.uniform(0.15, 0.35) * min(height, width)
    cx = rng.uniform(size, width - size)
    cy = rng.uniform(size, height - size)
    angles = np.sort(rng.uniform(0, 2 * np.pi, rng.integers(5, 10)))
    radii = size * rng.uniform(0.6, 1.0, len(angles))
    return np.stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)], 1)


def labelled_scene(rng, height: int, width: int, num_classes: int, max_objects: int = 3,
                   photos=None, texture_photos=None):
    """(image uint8 (H, W, 3), objects): 1..max_objects non-overlapping polygons, each a list
    entry ``dict(label, polygon (K, 2), mask (H, W) bool, bbox (x1, y1, x2, y2))``; later
    objects never cover earlier ones, so each mask is exactly its visible region."""
    photos = photos or photographs()
    texture_photos = texture_photos or textures()
    image = crop_resized(rng, photos[rng.integers(len(photos))], height, width)
    taken = np.zeros((height, width), bool)
    objects = []
    for _ in range(max_objects * 4):
        if len(objects) == max_objects:
            break
        polygon = random_polygon(rng, height, width)
        mask = np.zeros((height, width), np.uint8)
        cv2.fillPoly(mask, [np.round(polygon).astype(np.int32)], 1)
        mask = mask.astype(bool)
        if not mask.any() or (mask & taken).any():
            continue
        taken |= mask
        texture = crop_resized(rng, texture_photos[rng.integers(len(texture_photos))],
                               height, width)
        image[mask] = texture[mask]
        ys, xs = np.nonzero(mask)
        objects.append(dict(label=int(rng.integers(num_classes)), polygon=polygon, mask=mask,
                            bbox=(int(xs.min()), int(ys.min()), int(xs.max()) + 1,
                                  int(ys.max()) + 1)))
    return image, objects


def semantic_map(objects: list, height: int, width: int, background: int,
                 label_offset: int = 0) -> np.ndarray:
    """uint8 (H, W) class map: ``background`` where no object is, else label + offset."""
    out = np.full((height, width), background, np.uint8)
    for obj in objects:
        out[obj['mask']] = obj['label'] + label_offset
    return out
