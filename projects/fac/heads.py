"""FAC's head: foreground pair sampling, segment pooling and correlation, L_fg + lambda L_fb."""
import logging
from typing import Dict, Sequence

import torch
import torch.nn.functional as F
from mmengine.logging import print_log
from mmengine.model import BaseModule
from torch import Tensor

from ..common.registry import register_in
from .correlation import SegmentCorrelation
from .losses import foreground_background_contrast, foreground_point_contrast, segment_pool


@register_in('mmpretrain')
class FACHead(BaseModule):
    """Turns the two views' normalised point projections of each scene into FAC's losses.

    Args:
        channels: width of the projections (FAC sets it from the neck).
        temperature: tau of both InfoNCE terms (0.4 indoor, 0.1 outdoor; unverified).
        num_pairs: matched foreground pairs sampled per scene for L_fg (4096 indoor).
        fb_weight: lambda (1, unverified).
        use_correlation: segment cross-view attention before L_fb (ablation flag).
    """

    def __init__(self, channels: int, temperature: float = 0.4, num_pairs: int = 4096,
                 fb_weight: float = 1.0, use_correlation: bool = True, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.correlation = SegmentCorrelation(channels, enabled=use_correlation)
        self.temperature = temperature
        self.num_pairs = num_pairs
        self.fb_weight = fb_weight

    def scene_losses(self, z1: Tensor, z2: Tensor, seg1: Tensor, seg2: Tensor,
                     matches: Tensor, is_fg: Tensor):
        """(L_fg, L_fb) of one scene; z1 (N1, C), z2 (N2, C) normalised; seg1/seg2 segment
        ids per point (-1: none); matches (M, 2) corresponding point indices; is_fg (S,).
        A term without material (fewer than 2 matched foreground points; fewer than 2
        segments in both views or none of them foreground) is a zero with no gradient, and
        ``None`` in its place tells ``loss`` to count the scene as skipped."""
        pair_seg = seg1[matches[:, 0]]
        pair_is_fg = torch.zeros_like(pair_seg, dtype=torch.bool)
        pair_is_fg[pair_seg >= 0] = is_fg[pair_seg[pair_seg >= 0]]
        fg_pairs = matches[pair_is_fg]
        if len(fg_pairs) > self.num_pairs:
            fg_pairs = fg_pairs[torch.randperm(len(fg_pairs), device=z1.device)[:self.num_pairs]]
        loss_fg = (foreground_point_contrast(z1[fg_pairs[:, 0]], z2[fg_pairs[:, 1]],
                                             seg1[fg_pairs[:, 0]], self.temperature)
                   if len(fg_pairs) > 1 else None)
        num_seg = len(is_fg)
        in1, in2 = seg1 >= 0, seg2 >= 0
        present = (torch.bincount(seg1[in1], minlength=num_seg) > 0) & \
                  (torch.bincount(seg2[in2], minlength=num_seg) > 0)
        if present.sum() < 2 or not (present & is_fg).any():
            return loss_fg, None
        f1 = segment_pool(z1[in1], seg1[in1], num_seg)[present]
        f2 = segment_pool(z2[in2], seg2[in2], num_seg)[present]
        g1, g2 = self.correlation(f1, f2)
        loss_fb = foreground_background_contrast(F.normalize(g1, dim=1), F.normalize(g2, dim=1),
                                                 is_fg[present], self.temperature)
        return loss_fg, loss_fb

    def loss(self, views: Sequence[Tensor], scenes: Sequence) -> Dict[str, Tensor]:
        """views: 2 * len(scenes) point projections, the two views of scene k at 2k, 2k + 1;
        scenes: ``TwoViewScene``s (segments, matches, foreground flags).

        Besides the losses, logs the share of scenes whose L_fg / L_fb had no material
        (``fg_skipped``, ``fb_skipped``) and whose views fell back to the whole cloud
        (``views_fallback``), and warns when a term skipped more than half of the batch (a
        segment provider that finds no foreground trains on nothing)."""
        fg, fb, counts = [], [], {'L_fg': 0, 'L_fb': 0}
        for k, scene in enumerate(scenes):
            l_fg, l_fb = self.scene_losses(views[2 * k], views[2 * k + 1], *scene.segments,
                                           scene.matches, scene.is_foreground)
            for name, term, terms in (('L_fg', l_fg, fg), ('L_fb', l_fb, fb)):
                counts[name] += term is None
                terms.append(views[2 * k].sum() * 0 if term is None else term)
        for name, count in counts.items():
            if count > len(scenes) / 2:
                print_log(f'FAC: {name} had no material in {count} of {len(scenes)} scenes '
                          '(no matched foreground points / segments in both views); check the '
                          'segment provider', logger='current', level=logging.WARNING)
        device = views[0].device
        return dict(loss_fg=torch.stack(fg).mean(),
                    loss_fb=self.fb_weight * torch.stack(fb).mean(),
                    fg_skipped=torch.tensor(counts['L_fg'] / len(scenes), device=device),
                    fb_skipped=torch.tensor(counts['L_fb'] / len(scenes), device=device),
                    views_fallback=torch.tensor(
                        sum(s.views_fallback for s in scenes) / len(scenes), device=device))
