"""EV-WSSS prototype memory: per-class queues of region prototypes, kept in buffers so
that checkpoints save them, ``--resume`` restores them and every rank holds the same ones."""
import warnings
from typing import List

import torch
import torch.nn.functional as F
from mmengine import dist
from torch import Tensor, nn

from ..common.errors import ConfigError


class PrototypeMemory(nn.Module):
    """Per-class FIFO queues of ``length`` unit-norm region prototypes (D,); a class
    prototype is the normalised mean of its queue once it holds more than ``min_entries``.

    Buffers: ``bank`` (K, length, D), ``filled`` (K,) entries held (<= length) and
    ``next_slot`` (K,) where the next entry goes (the oldest once the queue is full).
    Under DDP, each step's new prototypes are gathered from all ranks and pushed in rank
    order, so the queues stay identical everywhere.
    """

    def __init__(self, num_classes: int, dim: int, length: int = 200, min_entries: int = 10):
        super().__init__()
        if length <= min_entries:
            raise ConfigError(f'EV-WSSS prototype memory: queue_length={length} must exceed '
                              f'proto_min_entries={min_entries}, or no class ever gets a '
                              'prototype and the prototype loss never runs')
        self.min_entries = min_entries
        self.register_buffer('bank', torch.zeros(num_classes, length, dim))
        self.register_buffer('filled', torch.zeros(num_classes, dtype=torch.long))
        self.register_buffer('next_slot', torch.zeros(num_classes, dtype=torch.long))

    @torch.no_grad()
    def push(self, feats: Tensor, q: Tensor, present: Tensor, prob_threshold: float = 0.7,
             min_weight: float = 10.0) -> None:
        """feats (B, D, H, W) unit-norm per pixel, q (B, K, H, W): for each image and present
        class, the q-weighted mean feature over pixels with q > 0.7, pushed if sum w > 10."""
        w = q * (q > prob_threshold)                                  # (B, K, H, W)
        total = w.sum((2, 3))                                         # (B, K)
        protos = torch.einsum('bkhw,bdhw->bkd', w, feats) / (total[..., None] + 1e-5)
        valid = present.bool() & (total > min_weight)
        protos, valid = self._gather(F.normalize(protos, dim=2), valid)
        for c in range(self.bank.shape[0]):   # images in order, per class
            self._append(c, protos[valid[:, c], c])

    @staticmethod
    def _gather(protos: Tensor, valid: Tensor):
        """(B, K, D), (B, K) of this rank -> the same of all ranks, in rank order."""
        if dist.get_world_size() == 1:
            return protos, valid
        return (torch.cat(dist.all_gather(protos.contiguous())),
                torch.cat(dist.all_gather(valid.contiguous())))

    def _append(self, c: int, entries: Tensor) -> None:
        length = self.bank.shape[1]
        for entry in entries[-length:]:
            slot = int(self.next_slot[c])
            self.bank[c, slot] = entry
            self.next_slot[c] = (slot + 1) % length
        self.filled[c] = min(length, int(self.filled[c]) + len(entries))

    def queue(self, c: int) -> Tensor:
        """(n, D) class ``c``'s entries, oldest first."""
        n, length = int(self.filled[c]), self.bank.shape[1]
        order = (torch.arange(n, device=self.bank.device) + int(self.next_slot[c]) - n) % length
        return self.bank[c, order]

    def prototypes(self) -> Tensor:
        """(K, D) unit-norm class prototypes (zero rows for classes not ready)."""
        ready = self.filled > self.min_entries
        means = self.bank.sum(1) / self.filled.clamp(min=1)[:, None]
        return F.normalize(means * ready[:, None], dim=1)

    def ready(self) -> List[bool]:
        return (self.filled > self.min_entries).tolist()

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict,
                              missing_keys, unexpected_keys, error_msgs):
        names = [prefix + name for name in ('bank', 'filled', 'next_slot')]
        if not any(name in state_dict for name in names):
            # checkpoints written before the queues were buffers: start them empty
            warnings.warn(f'{prefix or "PrototypeMemory."}: the checkpoint has no prototype '
                          'queues (written by an older version); they start empty')
            return
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict,
                                      missing_keys, unexpected_keys, error_msgs)
