"""Point-cloud ViT: FPS + k-NN groups, a mini-PointNet per group, a transformer with CLS.

    points (B, N, 3)
      -> G = round(N * num_groups / num_points) centres by FPS, k nearest points each
      -> mini-PointNet (shared MLP, max-pool, concat, MLP, max-pool): tokens (B, G, C)
      -> + MLP(centre xyz) positional embedding, CLS token in front
      -> transformer (mmpretrain's ViT encoder layer) -> LayerNorm
      -> CLS (B, C), or CLS and the max over tokens (B, 2C) with ``out_type='cls_max'``
"""
import torch
from mmengine.model import BaseModule
from mmpretrain.models.backbones.vision_transformer import TransformerEncoderLayer
from torch import Tensor, nn

from ..common.models.point_ops import group_points
from ..common.registry import register_in


class MiniPointNet(nn.Module):
    """Embed each group of k relative points (B, G, k, 3) into one token (B, G, C)."""

    def __init__(self, out_channels: int):
        super().__init__()
        self.first = nn.Sequential(nn.Conv1d(3, 128, 1), nn.BatchNorm1d(128), nn.ReLU(True),
                                   nn.Conv1d(128, 256, 1))
        self.second = nn.Sequential(nn.Conv1d(512, 512, 1), nn.BatchNorm1d(512), nn.ReLU(True),
                                    nn.Conv1d(512, out_channels, 1))

    def forward(self, groups: Tensor) -> Tensor:
        b, g, k, _ = groups.shape
        x = self.first(groups.reshape(b * g, k, 3).transpose(1, 2))  # (BG, 256, k)
        pooled = x.amax(-1, keepdim=True).expand(-1, -1, k)
        x = self.second(torch.cat([pooled, x], 1)).amax(-1)  # (BG, C)
        return x.reshape(b, g, -1)


@register_in('mmpretrain')
class PointViT(BaseModule):
    """Args: embed_dims, depth, num_heads, mlp_ratio: the transformer; num_groups /
    num_points: groups per point (64 per 1024: a 256-point crop gets 16 groups);
    group_size: k; out_type: 'cls' or 'cls_max'."""

    def __init__(self, embed_dims: int = 384, depth: int = 12, num_heads: int = 6,
                 mlp_ratio: float = 4.0, num_groups: int = 64, num_points: int = 1024,
                 group_size: int = 32, drop_path_rate: float = 0.1, out_type: str = 'cls',
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if out_type not in ('cls', 'cls_max'):
            raise ValueError(f"out_type must be 'cls' or 'cls_max', got {out_type!r}")
        self.groups_per_point = num_groups / num_points
        self.group_size = group_size
        self.out_type = out_type
        self.embed_dims = embed_dims
        self.group_embed = MiniPointNet(embed_dims)
        self.pos_embed = nn.Sequential(nn.Linear(3, 128), nn.GELU(), nn.Linear(128, embed_dims))
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dims))
        self.cls_pos = nn.Parameter(torch.zeros(1, 1, embed_dims))
        rates = torch.linspace(0, drop_path_rate, depth).tolist()
        self.layers = nn.ModuleList(
            TransformerEncoderLayer(embed_dims, num_heads, int(embed_dims * mlp_ratio),
                                    drop_path_rate=rate) for rate in rates)
        self.norm = nn.LayerNorm(embed_dims)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        nn.init.trunc_normal_(self.cls_pos, std=0.02)

    @property
    def out_channels(self) -> int:
        return self.embed_dims * (2 if self.out_type == 'cls_max' else 1)

    def num_groups_for(self, num_points: int) -> int:
        return max(1, round(num_points * self.groups_per_point))

    def forward(self, points: Tensor):
        xyz = points[..., :3].contiguous()
        n = xyz.shape[1]
        centres, groups = group_points(xyz, self.num_groups_for(n), min(self.group_size, n))
        tokens = self.group_embed(groups) + self.pos_embed(centres)
        cls = (self.cls_token + self.cls_pos).expand(len(tokens), -1, -1)
        x = torch.cat([cls, tokens], 1)
        for layer in self.layers:
            x = layer(x)
        x = self.norm(x)
        out = x[:, 0] if self.out_type == 'cls' else torch.cat([x[:, 0], x[:, 1:].amax(1)], -1)
        return (out, )
