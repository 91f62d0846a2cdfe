"""CutMix for bi-temporal pairs: one random box pasted into images, labels and confidences."""
import torch
from torch import Tensor


def cutmix_box(height: int, width: int, prob: float = 0.5, area=(0.02, 0.4),
               ratio=(0.3, 1 / 0.3), generator=None) -> Tensor:
    """(H, W) bool mask of one random box (all False with probability 1 - prob): area a
    fraction U(area) of the image, aspect ratio U(ratio), inside the image."""
    mask = torch.zeros(height, width, dtype=torch.bool)
    rand = lambda lo, hi: float(torch.empty(()).uniform_(lo, hi, generator=generator))  # noqa
    if rand(0, 1) > prob:
        return mask
    for _ in range(100):
        size, aspect = rand(*area) * height * width, rand(*ratio)
        h, w = int((size / aspect) ** 0.5), int((size * aspect) ** 0.5)
        if 0 < h <= height and 0 < w <= width:
            top, left = int(rand(0, height - h + 1)), int(rand(0, width - w + 1))
            mask[top:top + h, left:left + w] = True
            return mask
    return mask


def paste(box: Tensor, base: Tensor, other: Tensor) -> Tensor:
    """``base`` with ``other`` inside each sample's box. box (N, H, W) bool; base/other
    (N, H, W) or (N, C, H, W)."""
    if base.dim() == 4:
        box = box[:, None]
    return torch.where(box, other, base)
