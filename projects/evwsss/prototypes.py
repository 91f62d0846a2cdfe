"""EV-WSSS prototype memory: per-class queues of region prototypes."""
from collections import deque
from typing import List

import torch
import torch.nn.functional as F
from torch import Tensor


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
