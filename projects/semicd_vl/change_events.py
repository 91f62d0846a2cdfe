"""Change pseudo labels from per-date vision-language outputs (the spec's B1-B2).

Labels are uint8 maps: 0 = unchanged / not building, 1 = changed / building, 255 = ignore.
"""
import numpy as np

IGNORE = 255


def building_label(probs: np.ndarray, building_classes=(0, 1),
                   threshold: float = 0.8) -> np.ndarray:
    """(K, H, W) class probabilities -> (H, W) building label: argmax over the K maps and a
    constant ``threshold`` map; the constant wins -> ignore, a building class -> 1, else 0."""
    scores = np.concatenate([probs, np.full((1, *probs.shape[1:]), threshold, probs.dtype)])
    top = scores.argmax(0)
    label = np.isin(top, building_classes).astype(np.uint8)
    label[top == len(probs)] = IGNORE
    return label


def pixel_change(building_a: np.ndarray, building_b: np.ndarray) -> np.ndarray:
    """|A - B|, ignored where either date is ignored."""
    change = (building_a != building_b).astype(np.uint8)
    change[(building_a == IGNORE) | (building_b == IGNORE)] = IGNORE
    return change


def mask_iou(masks_a: np.ndarray, masks_b: np.ndarray) -> np.ndarray:
    """(Na, Nb) IoU between boolean instance masks (Na, H, W) and (Nb, H, W)."""
    a = masks_a.reshape(len(masks_a), -1).astype(np.float32)
    b = masks_b.reshape(len(masks_b), -1).astype(np.float32)
    inter = a @ b.T
    union = a.sum(1)[:, None] + b.sum(1)[None] - inter
    return inter / np.maximum(union, 1)


def instance_change(masks_a: np.ndarray, masks_b: np.ndarray,
                    iou_threshold: float = 0.0) -> np.ndarray:
    """(H, W) bool union of changed instances: those of A whose IoUs with every B instance
    sum to at most ``iou_threshold`` (demolished) and those of B likewise (new). With
    instances on one date only, all of them changed."""
    shape = (masks_a if len(masks_a) else masks_b).shape[1:]
    if not len(masks_a) or not len(masks_b):
        both = [m for m in (masks_a, masks_b) if len(m)]
        return both[0].any(0) if both else np.zeros(shape, bool)
    iou = mask_iou(masks_a, masks_b)
    gone = masks_a[iou.sum(1) <= iou_threshold]
    new = masks_b[iou.sum(0) <= iou_threshold]
    return np.concatenate([gone, new]).any(0) if len(gone) + len(new) \
        else np.zeros(shape, bool)


def mixed_change(pixel: np.ndarray, instances: np.ndarray) -> np.ndarray:
    """Mixed change events: a pixel change counts only inside a changed instance; ignored
    pixels stay ignored."""
    change = ((pixel == 1) & instances).astype(np.uint8)
    change[pixel == IGNORE] = IGNORE
    return change


def change_pseudo_labels(probs_a, instances_a, probs_b, instances_b, building_classes=(0, 1),
                         threshold: float = 0.8, iou_threshold: float = 0.0):
    """(building A, building B, change) labels from each date's probabilities and building
    instances (boolean masks)."""
    bld_a = building_label(probs_a, building_classes, threshold)
    bld_b = building_label(probs_b, building_classes, threshold)
    change = mixed_change(pixel_change(bld_a, bld_b),
                          instance_change(instances_a, instances_b, iou_threshold))
    return bld_a, bld_b, change
