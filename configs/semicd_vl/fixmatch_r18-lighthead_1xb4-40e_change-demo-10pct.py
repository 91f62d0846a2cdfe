# FixMatch baseline for the CPU demo, same model, data and budget (no vision-language
# terms, auxiliary heads or contrastive loss).
_base_ = ['./semicd-vl_r18-lighthead_1xb4-40e_change-demo-10pct.py']
model = dict(decode_head=dict(vl_head=False), auxiliary_head=None, contrast_weight=0.0,
             vl_weight=(0.0, 0.0))
