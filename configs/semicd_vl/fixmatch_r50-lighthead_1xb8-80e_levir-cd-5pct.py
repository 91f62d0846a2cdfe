# FixMatch baseline at the same budget: no vision-language terms, no auxiliary heads, no
# contrastive loss (weak / strong views, CutMix, confidence 0.95 as SemiCD-VL).
_base_ = ['./semicd-vl_r50-lighthead_1xb8-80e_levir-cd-5pct.py']
model = dict(decode_head=dict(vl_head=False), auxiliary_head=None, contrast_weight=0.0,
             vl_weight=(0.0, 0.0))
