"""One EV-WSSS student: an E2VID-style recurrent (ConvLSTM) event encoder and an ESS-style
segmentation decoder.

    chunks (B, T, bins, H, W), fed one chunk at a time
      -> head conv 5x5 (bins -> C)                                      scale 1
      -> 3 x [conv 5x5 stride 2 + BN + ReLU, ConvLSTM]: 2C, 4C, 8C       scales 2, 4, 8
      -> 2 residual blocks at 8C
    the latents after the last chunk -> decoder: 5 instance-norm residual blocks at 1/8,
    then 3 x [upsample x2, concat the skip, conv] -> 1x1 conv to K classes (full size).
Plus 1x1 projection heads at scales 2, 4, 8 (feature mimicry and prototype exchange).
"""
from typing import Dict, List

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ..common.errors import ConfigError


def conv_bn_relu(cin: int, cout: int, kernel: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, stride, kernel // 2, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class ConvLSTM(nn.Module):
    """Convolutional LSTM cell: all four gates from one 3x3 conv over [input, hidden]."""

    def __init__(self, channels: int):
        super().__init__()
        self.gates = nn.Conv2d(2 * channels, 4 * channels, 3, padding=1)

    def forward(self, x: Tensor, state):
        h, c = state if state is not None else (torch.zeros_like(x), torch.zeros_like(x))
        i, f, o, g = self.gates(torch.cat([x, h], 1)).chunk(4, 1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, (h, c)


class ResidualBlock(nn.Module):

    def __init__(self, channels: int, norm: str = 'bn'):
        super().__init__()
        make_norm = nn.BatchNorm2d if norm == 'bn' else nn.InstanceNorm2d
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1, bias=False), make_norm(channels),
            nn.ReLU(inplace=True), nn.Conv2d(channels, channels, 3, padding=1, bias=False),
            make_norm(channels))

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(x + self.body(x))


class RecurrentEventEncoder(nn.Module):
    """Multi-scale latents {1, 2, 4, 8: (B, C_s, H/s, W/s)} after the last chunk."""

    def __init__(self, in_channels: int = 5, base_channels: int = 32, num_res_blocks: int = 2):
        super().__init__()
        widths = [base_channels * 2 ** k for k in range(4)]  # 32, 64, 128, 256
        self.widths = dict(zip((1, 2, 4, 8), widths))
        self.head = conv_bn_relu(in_channels, widths[0], 5)
        self.downs = nn.ModuleList(conv_bn_relu(a, b, 5, 2) for a, b in zip(widths, widths[1:]))
        self.lstms = nn.ModuleList(ConvLSTM(w) for w in widths[1:])
        self.res = nn.Sequential(*[ResidualBlock(widths[-1]) for _ in range(num_res_blocks)])

    def forward(self, chunks: Tensor) -> Dict[int, Tensor]:
        states: List = [None] * len(self.lstms)
        for t in range(chunks.shape[1]):
            x = self.head(chunks[:, t])
            latents = {1: x}
            for k, (down, lstm) in enumerate(zip(self.downs, self.lstms)):
                x, states[k] = lstm(down(x), states[k])
                latents[2 ** (k + 1)] = x
        latents[8] = self.res(latents[8])
        return latents


class SegDecoder(nn.Module):
    """Instance-norm residual blocks at 1/8, then upsampling with skip concatenation."""

    def __init__(self, widths: Dict[int, int], num_classes: int, num_res_blocks: int = 5):
        super().__init__()
        self.res = nn.Sequential(*[ResidualBlock(widths[8], norm='in')
                                   for _ in range(num_res_blocks)])
        self.ups = nn.ModuleList(conv_bn_relu(widths[s * 2] + widths[s], widths[s], 3)
                                 for s in (4, 2, 1))
        self.classifier = nn.Conv2d(widths[1], num_classes, 1)

    def forward(self, latents: Dict[int, Tensor]) -> Tensor:
        x = self.res(latents[8])
        for scale, up in zip((4, 2, 1), self.ups):
            skip = latents[scale]
            x = F.interpolate(x, size=skip.shape[-2:], mode='bilinear', align_corners=False)
            x = up(torch.cat([x, skip], 1))
        return self.classifier(x)


class EventStudent(nn.Module):
    """Encoder + decoder + 1x1 projection heads; ``forward`` -> (logits, latents)."""

    def __init__(self, num_classes: int, in_channels: int = 5, base_channels: int = 32,
                 proj_scales=(2, 4, 8)):
        super().__init__()
        self.in_channels = in_channels
        self.encoder = RecurrentEventEncoder(in_channels, base_channels)
        self.decoder = SegDecoder(self.encoder.widths, num_classes)
        self.proj = nn.ModuleDict({str(s): nn.Conv2d(self.encoder.widths[s],
                                                     self.encoder.widths[s], 1)
                                   for s in proj_scales})

    def forward(self, chunks: Tensor):
        """chunks (B, T, bins, H, W) -> (logits (B, K, H, W), latents per scale)."""
        if chunks.dim() != 5 or chunks.shape[2] != self.in_channels:
            raise ConfigError(
                f'EV-WSSS student: input of shape {tuple(chunks.shape)} has '
                f'{chunks.shape[2] if chunks.dim() == 5 else "no"} bins per chunk but '
                f'model.in_channels={self.in_channels}; the event pipeline\'s bins and the '
                "model's in_channels must agree (configs set both from `bins`)")
        latents = self.encoder(chunks)
        return self.decoder(latents), latents
