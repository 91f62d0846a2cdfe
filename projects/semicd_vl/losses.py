"""SemiCD-VL losses and the CutMix box (the spec's B3-B4). Labels: 255 = ignore."""
import torch.nn.functional as F
from torch import Tensor

IGNORE = 255


def feature_distance(feat_a: Tensor, feat_b: Tensor) -> Tensor:
    """(N, C, h, w) x 2 -> (N, h, w) per-pixel L2 distance over channels (the intended
    reading; the release takes the norm over the width axis)."""
    return (feat_a - feat_b).pow(2).sum(1).clamp_min(1e-12).sqrt()


def bcl_loss(dist: Tensor, label: Tensor, margin: float = 2.0) -> Tensor:
    """Batch-balanced contrastive loss: mean d^2 over unchanged pixels plus mean
    max(0, margin - d)^2 over changed pixels, each over its own count; ignored pixels out.

    dist (N, H, W), label (N, H, W) in {0, 1, 255}.
    """
    unchanged, changed = (label == 0).float(), (label == 1).float()
    return ((unchanged * dist.pow(2)).sum() / unchanged.sum().clamp_min(1)
            + (changed * (margin - dist).clamp_min(0).pow(2)).sum() / changed.sum().clamp_min(1))


def confident_ce(logits: Tensor, target: Tensor, confidence: Tensor,
                 threshold: float = 0.95) -> Tensor:
    """FixMatch's pixel-wise loss: CE summed over pixels with confidence >= threshold,
    divided by the number of non-ignored pixels. logits (N, K, H, W); target, confidence
    (N, H, W)."""
    valid = target != IGNORE
    ce = F.cross_entropy(logits, target.masked_fill(~valid, 0).long(), reduction='none')
    return (ce * (valid & (confidence >= threshold))).sum() / valid.sum().clamp_min(1)


def mean_all_ce(logits: Tensor, target: Tensor) -> Tensor:
    """CE summed over non-ignored pixels, divided by all pixels (the release's 'mean_all')."""
    ce = F.cross_entropy(logits, target.long(), ignore_index=IGNORE, reduction='sum')
    return ce / target.numel()
