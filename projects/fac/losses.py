"""FAC losses as short functions. z: L2-normalised projected features.

Shapes: M sampled matched point pairs, C channels, S1/S2 segments present in views 1/2.
"""
import torch
import torch.nn.functional as F
from torch import Tensor


def foreground_point_contrast(z1: Tensor, z2: Tensor, seg: Tensor, temperature: float
                              ) -> Tensor:
    """L_fg: point-level InfoNCE over matched foreground pairs, positives per segment.

    Args:
        z1: (M, C) view-1 features of the sampled matched points (normalised).
        z2: (M, C) view-2 features of the same points, row i matched to row i.
        seg: (M,) segment id of each pair (all foreground).
    Returns:
        ``mean_i -mean_{k: seg_k = seg_i} log softmax_k(z1_i . z2_k / t)``: the matched
        point and every other sampled point of the same segment are positives.
    """
    log_prob = F.log_softmax(z1 @ z2.T / temperature, dim=1)  # (M, M)
    positives = (seg[:, None] == seg[None, :]).float()
    return -((log_prob * positives).sum(1) / positives.sum(1)).mean()


def segment_pool(feats: Tensor, seg: Tensor, num_segments: int) -> Tensor:
    """(N, C) point features, (N,) ids in [0, S) -> (S, C) mean feature per segment."""
    sums = feats.new_zeros(num_segments, feats.shape[1]).index_add_(0, seg, feats)
    counts = torch.bincount(seg, minlength=num_segments).clamp(min=1)
    return sums / counts[:, None].to(feats.dtype)


def foreground_background_contrast(f1: Tensor, f2: Tensor, is_foreground: Tensor,
                                   temperature: float) -> Tensor:
    """L_fb: each foreground segment of view 1 against all segments of view 2.

    Args:
        f1, f2: (S, C) normalised segment features, row s = segment s in both views.
        is_foreground: (S,) bool; background rows serve only as negatives.
    Returns:
        ``mean_{s fg} -log softmax_t(f1_s . f2_t / t)[s]``.
    """
    logits = f1[is_foreground] @ f2.T / temperature  # (S_fg, S)
    target = torch.nonzero(is_foreground).flatten()
    return F.cross_entropy(logits, target)
