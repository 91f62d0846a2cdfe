# PixPro with the BYOL-style instance branch (alpha = 1, the paper's '*' models).
_base_ = ['./pixpro_r50_8xb128-coslr-100e_in1k.py']
model = dict(
    instance_loss_weight=1.0,
    instance_neck=dict(type='ConvMLPNeck', in_channels=2048, hid_channels=4096,
                       out_channels=256, norm_cfg=dict(type='SyncBN')),
    instance_predictor=dict(type='ConvMLPNeck', in_channels=256, hid_channels=4096,
                            out_channels=256, norm_cfg=dict(type='SyncBN')))
