# PixContrast (the paper's contrastive alternative): InfoNCE over cells, tau = 0.3, T = 0.7.
_base_ = ['./pixpro_r50_8xb128-coslr-100e_in1k.py']
model = dict(head=dict(_delete_=True, type='PixContrastHead', temperature=0.3,
                       pos_threshold=0.7))
