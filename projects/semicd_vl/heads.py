"""The light change / segmentation head: mmseg's SegFormer head with its fused feature
exposed and an optional second projection head for vision-language labels."""
import torch
from mmseg.models.decode_heads import SegformerHead
from mmseg.models.utils import resize
from torch import nn

from ..common.registry import register_in


@register_in('mmseg')
class DualProjectionHead(SegformerHead):
    """Per stage 1x1 conv (C_i -> channels), upsample to the first stage, concatenate, fuse
    (1x1); then ``conv_seg`` (ground truth and FixMatch pseudo labels) and, with
    ``vl_head``, ``conv_seg_vl`` (vision-language pseudo labels only).

    ``forward`` returns (logits, vl_logits or None, fused feature).
    """

    def __init__(self, vl_head: bool = True, **kwargs):
        kwargs.setdefault('dropout_ratio', 0.0)  # the release disables dropout
        super().__init__(**kwargs)
        self.conv_seg_vl = nn.Conv2d(self.channels, self.out_channels, 1) if vl_head else None

    def fuse(self, inputs):
        inputs = self._transform_inputs(inputs)
        outs = [resize(conv(x), size=inputs[0].shape[2:], mode=self.interpolate_mode,
                       align_corners=self.align_corners)
                for conv, x in zip(self.convs, inputs)]
        return self.fusion_conv(torch.cat(outs, dim=1))

    def forward(self, inputs):
        feat = self.fuse(inputs)
        vl = self.conv_seg_vl(feat) if self.conv_seg_vl is not None else None
        return self.cls_seg(feat), vl, feat
