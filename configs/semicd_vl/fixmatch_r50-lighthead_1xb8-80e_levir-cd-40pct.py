# FixMatch baseline on LEVIR-CD-256 with 40 % labels (the 5 % FixMatch config's changes).
_base_ = ['./semicd-vl_r50-lighthead_1xb8-80e_levir-cd-40pct.py']
model = dict(decode_head=dict(vl_head=False), auxiliary_head=None, contrast_weight=0.0,
             vl_weight=(0.0, 0.0))
