"""PixPro losses as short functions. Shapes: N images, C channels, P/Q cells of views a/b."""
import torch
import torch.nn.functional as F
from torch import Tensor


def pixel_to_propagation_loss(pred: Tensor, target: Tensor, pos_mask: Tensor,
                              eps: float = 1e-6) -> Tensor:
    """Pixel-to-propagation consistency, one direction (release ``regression_loss``).

    Args:
        pred: (N, C, P) propagated online features of view a, L2-normalised over C.
        target: (N, C, Q) momentum features of view b, L2-normalised over C.
        pos_mask: (N, P, Q) 0/1 positive pairs from view a to view b.
    Returns:
        ``-2 * mean_n [sum_ij A_ij cos(y_i, x'_j) / (sum_ij A_ij + eps)]``. An image
        without positives contributes 0 and still counts in the batch mean.
    """
    cos = torch.einsum('ncp,ncq->npq', pred, target)
    per_image = (cos * pos_mask).sum(dim=(1, 2)) / (pos_mask.sum(dim=(1, 2)) + eps)
    return -2 * per_image.mean()


def pixcontrast_loss(query: Tensor, key: Tensor, pos_mask: Tensor, temperature: float = 0.3
                     ) -> Tensor:
    """PixContrast InfoNCE with several positives, one direction.

    Args:
        query: (N, C, P) online features of view a, L2-normalised.
        key: (N, C, Q) momentum features of view b, L2-normalised.
        pos_mask: (N, P, Q) 0/1; cells of b that are not positives are the negatives.
    Returns:
        ``-log(sum_pos exp(s/t) / sum_all exp(s/t))`` averaged over the cells of a that
        have at least one positive (the views' overlap), then over images; an image
        without overlap contributes 0.
    """
    logits = torch.einsum('ncp,ncq->npq', query, key) / temperature
    has_pos = pos_mask.sum(-1) > 0  # (N, P)
    pos_logits = logits.masked_fill(pos_mask == 0, float('-inf'))
    log_prob = torch.logsumexp(pos_logits, dim=-1) - torch.logsumexp(logits, dim=-1)
    log_prob = torch.where(has_pos, log_prob, torch.zeros_like(log_prob))
    per_image = -log_prob.sum(-1) / has_pos.sum(-1).clamp(min=1)
    return per_image.mean()


def instance_consistency_loss(pred: Tensor, target: Tensor) -> Tensor:
    """BYOL-style instance term, one direction: ``-2 * mean_n cos(p_n, z'_n)``.

    Args:
        pred: (N, C) predictor output of view a; target: (N, C) momentum projection of view b.
    """
    return -2 * F.cosine_similarity(pred, target.detach(), dim=-1).mean()
