"""DINO self-distillation with centring, and the InfoNCE term between global embeddings."""
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor


def dino_loss(student: Sequence[Tensor], teacher: Sequence[Tensor], center: Tensor,
              student_temp: float = 0.1, teacher_temp: float = 0.04) -> Tensor:
    """Cross-entropy between the teacher's centred, sharpened softmax and the student's.

    student: V tensors (B, K), one per crop (the first ones are the global crops, in the
    teacher's order); teacher: G tensors (B, K) for the global crops; center: (1, K).
    Averaged over all (teacher crop i, student crop j) pairs with i != j and the batch.
    """
    targets = [F.softmax((t - center) / teacher_temp, dim=-1).detach() for t in teacher]
    log_probs = [F.log_softmax(s / student_temp, dim=-1) for s in student]
    terms = [-(targets[i] * log_probs[j]).sum(-1).mean()
             for i in range(len(targets)) for j in range(len(log_probs)) if i != j]
    return torch.stack(terms).mean()


@torch.no_grad()
def updated_center(center: Tensor, teacher: Sequence[Tensor], momentum: float = 0.9) -> Tensor:
    """center (1, K) <- momentum * center + (1 - momentum) * mean of the teacher outputs
    (over crops and the batch of every process)."""
    from mmengine.dist import all_reduce, get_world_size
    stacked = torch.cat(list(teacher))
    total = stacked.sum(0, keepdim=True)
    count = torch.tensor(float(len(stacked)), device=stacked.device)
    if get_world_size() > 1:
        all_reduce(total)
        all_reduce(count)
    return center * momentum + total / count * (1 - momentum)


def info_nce(query: Tensor, keys: Tensor, temperature: float = 0.2,
             offset: int = 0) -> Tensor:
    """InfoNCE: query row b's positive is key row ``offset + b``; every other key is a
    negative. query (B, D), keys (M, D), both L2-normalised."""
    logits = query @ keys.t() / temperature  # (B, M)
    labels = torch.arange(len(query), device=query.device) + offset
    return F.cross_entropy(logits, labels)
