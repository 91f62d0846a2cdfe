"""FAC's feature-matching module: segments of one view attend to the other view's segments."""
import torch
from torch import Tensor, nn


class SegmentCorrelation(nn.Module):
    """``g1 = f1 + softmax(q(f1) k(f2)^T / sqrt(C)) v(f2)`` and symmetrically for view 2.

    Single-head dot-product attention with a residual (our reading of the paper; the
    residual form is unverified). ``enabled=False`` returns the inputs, for the ablation.
    """

    def __init__(self, channels: int, enabled: bool = True):
        super().__init__()
        self.enabled = enabled
        self.query = nn.Linear(channels, channels)
        self.key = nn.Linear(channels, channels)
        self.value = nn.Linear(channels, channels)

    def attend(self, source: Tensor, other: Tensor) -> Tensor:
        """(S1, C) segments attend to (S2, C) segments -> (S1, C)."""
        scores = self.query(source) @ self.key(other).T / source.shape[1] ** 0.5
        return torch.softmax(scores, dim=1) @ self.value(other)

    def forward(self, f1: Tensor, f2: Tensor):
        if not self.enabled:
            return f1, f2
        return f1 + self.attend(f1, f2), f2 + self.attend(f2, f1)
