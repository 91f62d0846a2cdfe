"""Sparse point labels from dense ones: k clicks per class present in a frame."""
import numpy as np


def sample_point_labels(dense: np.ndarray, k: int = 1, seed: int = 0,
                        ignore_index: int = 255) -> np.ndarray:
    """(H, W) uint8 map that is ``ignore_index`` except at ``k`` pixels per present class
    (all of a class's pixels when it has fewer), drawn uniformly with ``seed``.

    The 1-class-1-click (k=1) and 10-point settings of EV-WSSS; the release ships its
    sampled PNGs without the sampling rule, so uniform sampling is this suite's reading.
    """
    rng = np.random.default_rng(seed)
    sparse = np.full(dense.shape, ignore_index, dtype=np.uint8)
    flat = dense.reshape(-1)
    for cls in np.unique(flat):
        if cls == ignore_index:
            continue
        pixels = np.flatnonzero(flat == cls)
        chosen = rng.choice(pixels, size=min(k, len(pixels)), replace=False)
        sparse.reshape(-1)[chosen] = cls
    return sparse


def save_point_labels(path: str, sparse: np.ndarray) -> None:
    """PNG as the release's ``*_weak_1point_per_class`` files (255 = unlabelled)."""
    from PIL import Image
    Image.fromarray(sparse.astype(np.uint8)).save(path)
