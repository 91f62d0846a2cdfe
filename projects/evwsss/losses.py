"""EV-WSSS losses: partial CE, mutual pseudo labels, prototype contrast, feature mimicry."""
from collections import deque
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


class PrototypeMemory:
    """Per-class FIFO queues of region prototypes (D,); a class prototype is the
    normalised mean of its queue once it holds more than ``min_entries``."""

    def __init__(self, num_classes: int, length: int = 200, min_entries: int = 10):
        self.queues = [deque(maxlen=length) for _ in range(num_classes)]
        self.min_entries = min_entries

    @torch.no_grad()
    def push(self, feats: Tensor, q: Tensor, present: Tensor, prob_threshold: float = 0.7,
             min_weight: float = 10.0) -> None:
        """feats (B, D, H, W) unit-norm per pixel, q (B, K, H, W): for each image and present
        class, the q-weighted mean feature over pixels with q > 0.7, pushed if sum w > 10."""
        for i in range(len(feats)):
            for c in torch.nonzero(present[i]).flatten().tolist():
                w = q[i, c] * (q[i, c] > prob_threshold)
                total = w.sum()
                if total > min_weight:
                    proto = (feats[i] * w).sum((1, 2)) / (total + 1e-5)
                    self.queues[c].append(F.normalize(proto, dim=0).detach())

    def prototypes(self, dim: int, device) -> Tensor:
        """(K, D) unit-norm class prototypes (zero rows for classes not ready)."""
        rows = [torch.stack(list(q)).mean(0) if len(q) > self.min_entries
                else torch.zeros(dim, device=device) for q in self.queues]
        return F.normalize(torch.stack(rows).to(device), dim=1)

    def ready(self) -> List[bool]:
        return [len(q) > self.min_entries for q in self.queues]


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
