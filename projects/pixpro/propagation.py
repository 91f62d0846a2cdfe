"""PixPro's pixel propagation module (PPM): each pixel becomes a similarity-weighted sum of
the transformed features of the others."""
import torch
import torch.nn.functional as F
from torch import Tensor, nn


def build_value_transform(channels: int, num_layers: int, norm_cfg: dict) -> nn.Module:
    """Transform g of the PPM: 0 = identity, 1 = conv1x1, 2 = conv-BN-ReLU-conv."""
    from mmcv.cnn import build_norm_layer
    if num_layers == 0:
        return nn.Identity()
    if num_layers == 1:
        return nn.Conv2d(channels, channels, 1)
    if num_layers == 2:
        return nn.Sequential(
            nn.Conv2d(channels, channels, 1), build_norm_layer(norm_cfg, channels)[1],
            nn.ReLU(inplace=True), nn.Conv2d(channels, channels, 1))
    raise ValueError(f'PPM transform_layers must be 0, 1 or 2, got {num_layers}')


class PixelPropagation(nn.Module):
    """y_i = sum_j max(cos(x_i, x_j), clamp)^gamma * normalise(g(x_j)), then normalised."""

    def __init__(self, channels: int = 256, transform_layers: int = 1, gamma: float = 2.0,
                 clamp_value: float = 0.0, norm_cfg: dict = dict(type='BN')):
        super().__init__()
        self.transform = build_value_transform(channels, transform_layers, norm_cfg)
        self.gamma = gamma
        self.clamp_value = clamp_value

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, H, W) projector output -> (N, C, HW) normalised propagated features."""
        value = F.normalize(self.transform(x), dim=1).flatten(2)  # (N, C, HW)
        x = F.normalize(x, dim=1).flatten(2)
        sim = torch.einsum('nci,ncj->nij', x, x).clamp(min=self.clamp_value).pow(self.gamma)
        return F.normalize(torch.einsum('nij,ncj->nci', sim, value), dim=1)
