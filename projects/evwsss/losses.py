"""EV-WSSS losses: partial CE, mutual pseudo labels, prototype contrast, feature mimicry."""
from typing import List, Optional

import torch
import torch.nn.functional as F
from torch import Tensor

IGNORE = 255


def present_classes(points: Tensor, num_classes: int) -> Tensor:
    """(B, K) bool: the classes each image's point labels (B, H, W; 255 = none) contain."""
    present = torch.zeros(len(points), num_classes, dtype=torch.bool, device=points.device)
    for i, p in enumerate(points):
        labelled = p[p != IGNORE].long()
        present[i, labelled[labelled < num_classes]] = True
    return present


@torch.no_grad()
def pseudo_labels(logits: Tensor, present: Tensor, threshold: float):
    """Class probabilities q (B, K, H, W) = softmax(ReLU(logits)) with classes absent from
    the image's point labels zeroed, and labels argmax q (B, H, W), 255 where max q < tau."""
    q = F.softmax(F.relu(logits), dim=1) * present[:, :, None, None]
    confidence, labels = q.max(1)
    labels[confidence < threshold] = IGNORE
    return q, labels


def mutual_loss(logits_a: Tensor, logits_b: Tensor, labels_a: Tensor,
                labels_b: Tensor) -> Optional[Tensor]:
    """CE(Z_A, y_B) + CE(Z_B, y_A); None when some image has no confident pixel (the
    release skips the term for that batch)."""
    for labels in (labels_a, labels_b):
        if (labels.flatten(1) == IGNORE).all(1).any():
            return None
    return (F.cross_entropy(logits_a, labels_b, ignore_index=IGNORE)
            + F.cross_entropy(logits_b, labels_a, ignore_index=IGNORE))


def prototype_contrast(prototypes: Tensor, feats: Tensor, labels: Tensor,
                       temperature: float = 0.1) -> Tensor:
    """CE over classes of the cosine similarity prototypes (K, D) . feats (B, D, H, W)
    divided by the temperature, against labels (B, H, W) (255 ignored)."""
    logits = torch.einsum('kd,bdhw->bkhw', prototypes, feats) / temperature
    if (labels == IGNORE).all():
        return logits.sum() * 0
    return F.cross_entropy(logits, labels, ignore_index=IGNORE)


def feature_mimicry(feats_a: List[Tensor], feats_b: List[Tensor], proj_a, proj_b) -> Tensor:
    """Mean over scales and both directions of L1(normalise(proj_A(f_A)), f_B.detach())
    (and B -> A), features normalised over channels."""
    terms = []
    for fa, fb, pa, pb in zip(feats_a, feats_b, proj_a, proj_b):
        fa, fb = F.normalize(fa, dim=1), F.normalize(fb, dim=1)
        terms.append(F.l1_loss(F.normalize(pa(fa), dim=1), fb.detach()))
        terms.append(F.l1_loss(F.normalize(pb(fb), dim=1), fa.detach()))
    return torch.stack(terms).mean()
