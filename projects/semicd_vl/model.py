"""SemiCD-VL: FixMatch change detection with vision-language change and building labels,
auxiliary building decoders and a feature-distance contrastive loss (an mmseg segmentor)."""
import math
from typing import Dict, List

import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmseg.models.segmentors.base import BaseSegmentor
from mmseg.registry import MODELS
from torch import Tensor
from torchvision import transforms
from torchvision.transforms import functional as TF

from ..common.registry import register_in
from .cutmix import cutmix_box, paste
from .losses import IGNORE, bcl_loss, confident_ce, feature_distance, mean_all_ce


def _labels(samples, key: str) -> Tensor:
    if not all(key in s for s in samples):
        raise KeyError(f'{key} labels missing from the batch: add it to LoadChangePair\'s '
                       'pseudo_labels and the dataset\'s pseudo_prefix, or set its weight to 0')
    return torch.stack([getattr(s, key).data[0] for s in samples]).long()


def _unpadded(label: Tensor, samples) -> Tensor:
    """``label`` with the crop padding (``pad_mask`` 255) set to ignore."""
    if all('pad_mask' in s for s in samples):
        pad = torch.stack([s.pad_mask.data[0] for s in samples]).to(label.device) == IGNORE
        label = label.masked_fill(pad, IGNORE)
    return label


@register_in('mmseg')
class SemiCDVL(BaseSegmentor):
    """Siamese backbone (shared weights, each date encoded alone); the change head sees
    |f_A - f_B| of every stage and has two projection heads; the auxiliary head segments
    buildings on each date and its fused features give the distance map of the
    contrastive loss. Loss per iteration (t = iter / max_iters):

        L = (L_sup + L_u) / 2 + contrast_weight * (BCL(d_x, y) + BCL(d_s, y_pl)) / 2
            + lambda(t) / 6 * [VL change terms on x, strong, weak
                               + 0.5 * per-date building terms on x, strong, weak]

    lambda decays linearly from ``vl_weight[0]`` to ``vl_weight[1]``. The FixMatch baseline
    is ``contrast_weight=0, vl_weight=(0, 0)`` without ``auxiliary_head``. Only ``conv_seg``
    of the change head predicts.
    """

    def __init__(self, backbone: dict, decode_head: dict, auxiliary_head=None,
                 conf_threshold: float = 0.95, contrast_weight: float = 0.1,
                 bcl_margin: float = 2.0, vl_weight=(0.1, 0.0), cutmix_prob: float = 0.5,
                 mean=(123.675, 116.28, 103.53), std=(58.395, 57.12, 57.375),
                 data_preprocessor=None, train_cfg=None, test_cfg=None, init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor
                         or dict(type='ChangeDataPreprocessor'), init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.decode_head = MODELS.build(decode_head)
        self.aux_head = MODELS.build(auxiliary_head) if auxiliary_head else None
        if self.aux_head is None and (contrast_weight > 0 or any(vl_weight)):
            raise ValueError('the contrastive and vision-language terms need auxiliary_head')
        if any(vl_weight) and self.decode_head.conv_seg_vl is None:
            raise ValueError('vl_weight > 0 needs decode_head.vl_head=True')
        self.num_classes = self.out_channels = self.decode_head.num_classes
        self.align_corners = False
        self.conf_threshold, self.contrast_weight = conf_threshold, contrast_weight
        self.bcl_margin, self.vl_weight = bcl_margin, tuple(vl_weight)
        self.cutmix_prob = cutmix_prob
        self.register_buffer('mean', torch.tensor(mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer('std', torch.tensor(std).view(1, 3, 1, 1), persistent=False)
        self.jitter = transforms.ColorJitter(0.5, 0.5, 0.5, 0.25)

    # --- shared forward -------------------------------------------------------------------
    def _encode(self, x: Tensor):
        """(N, 6, H, W) 0-255 -> per-stage features of A and of B."""
        n = len(x)
        feats = self.backbone(torch.cat([(x[:, :3] - self.mean) / self.std,
                                         (x[:, 3:] - self.mean) / self.std]))
        return [f[:n] for f in feats], [f[n:] for f in feats], feats

    def _forward_all(self, x: Tensor, with_aux: bool = True) -> Dict[str, Tensor]:
        size = x.shape[-2:]
        up = lambda t: F.interpolate(t, size=size, mode='bilinear', align_corners=False)  # noqa
        feats_a, feats_b, feats = self._encode(x)
        logits, vl, _ = self.decode_head([(a - b).abs() for a, b in zip(feats_a, feats_b)])
        out = dict(change=up(logits), vl=up(vl) if vl is not None else None)
        if with_aux and self.aux_head is not None:
            seg, _, feat = self.aux_head(feats)
            n = len(x)
            out.update(seg_a=up(seg[:n]), seg_b=up(seg[n:]),
                       dist=up(feature_distance(feat[:n], feat[n:])[:, None])[:, 0])
        return out

    def strong_view(self, x: Tensor) -> Tensor:
        """Per date and sample: colour jitter (p 0.8) and Gaussian blur, sigma U(0.1, 2)
        (p 0.5); geometry unchanged."""
        out = x / 255
        views = []
        for img in out.view(-1, 3, *x.shape[-2:]):  # (A, B) of each sample in turn
            if torch.rand(()) < 0.8:
                img = self.jitter(img)
            if torch.rand(()) < 0.5:
                sigma = float(torch.empty(()).uniform_(0.1, 2.0))
                k = 2 * math.ceil(3 * sigma) + 1
                img = TF.gaussian_blur(img, [k, k], [sigma, sigma])
            views.append(img)
        return torch.stack(views).view_as(x) * 255

    # --- mmseg interface ------------------------------------------------------------------
    def extract_feat(self, inputs: Tensor):
        return self._encode(inputs)[2]

    def encode_decode(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        return self._forward_all(inputs, with_aux=False)['change']

    def _forward(self, inputs: Tensor, data_samples=None) -> Tensor:
        return self.encode_decode(inputs, None)

    def predict(self, inputs: Tensor, data_samples=None):
        return self.postprocess_result(self.encode_decode(inputs, None), data_samples)

    def vl_lambda(self) -> float:
        hub = MessageHub.get_current_instance()
        t = hub.get_info('iter', 0) / max(hub.get_info('max_iters', 1), 1)
        return self.vl_weight[0] + (self.vl_weight[1] - self.vl_weight[0]) * t

    def loss(self, inputs, data_samples) -> Dict[str, Tensor]:
        if not isinstance(inputs, dict):  # labelled pairs only
            gt = _labels(data_samples, 'gt_sem_seg')
            return dict(loss_sup=F.cross_entropy(self.encode_decode(inputs, None), gt,
                                                 ignore_index=IGNORE))
        x, weak, mix = inputs['labeled'], inputs['unlabeled'], inputs['mix']
        s_x, s_w, s_m = (data_samples[k] for k in ('labeled', 'unlabeled', 'mix'))
        gt = _labels(s_x, 'gt_sem_seg')
        thr = self.conf_threshold
        with torch.no_grad():  # the CutMix partner's pseudo labels, in eval mode
            self.eval()
            conf_m, pl_m = self._forward_all(mix, with_aux=False)['change'].softmax(1).max(1)
            self.train()
        box = torch.stack([cutmix_box(*weak.shape[-2:], self.cutmix_prob)
                           for _ in range(len(weak))]).to(weak.device)
        strong = paste(box, self.strong_view(weak), self.strong_view(mix))
        both = self._forward_all(torch.cat([x, weak]))
        out_x = {k: v[:len(x)] for k, v in both.items() if v is not None}
        out_w = {k: v[len(x):] for k, v in both.items() if v is not None}
        conf_w, pl_w = out_w['change'].detach().softmax(1).max(1)
        pl = paste(box, _unpadded(pl_w, s_w), _unpadded(pl_m, s_m))
        conf = paste(box, conf_w, conf_m)
        out_s = self._forward_all(strong)
        losses = dict(
            loss_sup=F.cross_entropy(out_x['change'], gt, ignore_index=IGNORE) / 2,
            loss_unsup=confident_ce(out_s['change'], pl, conf, thr) / 2)
        if self.contrast_weight > 0:
            confident_pl = pl.masked_fill(conf < thr, IGNORE)
            losses['loss_contrast'] = self.contrast_weight * (
                bcl_loss(out_x['dist'], gt, self.bcl_margin)
                + bcl_loss(out_s['dist'], confident_pl, self.bcl_margin)) / 2
        lam = self.vl_lambda()
        if lam > 0:
            losses['loss_vl'] = lam / 6 * self._vl_terms(out_x, out_w, out_s, box, s_x, s_w, s_m)
        return losses

    def _vl_terms(self, out_x, out_w, out_s, box, s_x, s_w, s_m) -> Tensor:
        """VL change terms (labelled: CE; strong, weak: 'mean_all' CE) plus half of each
        per-date building term; the strong view's labels CutMixed with the same box."""
        total = 0
        for key, head, weight in (('vl_change', 'vl', 1.0), ('vl_seg_a', 'seg_a', 0.5),
                                  ('vl_seg_b', 'seg_b', 0.5)):
            lab, weak, partner = (_labels(s, key).to(box.device) for s in (s_x, s_w, s_m))
            total = total + weight * (
                F.cross_entropy(out_x[head], lab, ignore_index=IGNORE)
                + mean_all_ce(out_s[head], paste(box, weak, partner))
                + mean_all_ce(out_w[head], weak))
        return total
