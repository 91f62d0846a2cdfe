"""DINO projection neck: MLP -> L2-normalised bottleneck -> weight-normalised prototypes
(what DINO calls its head; here the loss lives in ``heads.DistillContrastHead``)."""
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor, nn

from ..common.registry import register_in


@register_in('mmpretrain')
class DINOProjectionNeck(BaseModule):
    """``forward(x)`` returns (prototype scores (B, K), bottleneck embedding (B, D), unit norm).

    The prototypes are a bias-free linear layer whose rows are L2-normalised in the forward
    pass: DINO's ``weight_norm`` layer with its gain fixed to 1 (``norm_last_layer``).
    """

    def __init__(self, in_channels: int, out_channels: int = 512, hidden_channels: int = 2048,
                 bottleneck_channels: int = 256, num_layers: int = 3, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.out_channels = out_channels
        dims = [in_channels] + [hidden_channels] * (num_layers - 1) + [bottleneck_channels]
        layers = []
        for i in range(num_layers):
            layers.append(nn.Linear(dims[i], dims[i + 1]))
            if i < num_layers - 1:
                layers.append(nn.GELU())
        self.mlp = nn.Sequential(*layers)
        self.prototypes = nn.Linear(bottleneck_channels, out_channels, bias=False)
        for m in self.mlp:
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)

    def forward(self, x: Tensor):
        embedding = F.normalize(self.mlp(x), dim=-1)
        return F.linear(embedding, F.normalize(self.prototypes.weight, dim=-1)), embedding
