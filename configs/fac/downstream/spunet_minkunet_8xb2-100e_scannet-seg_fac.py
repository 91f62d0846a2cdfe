# As the random-init ScanNet config, initialised from FAC (ScanNet pretraining) weights.
_base_ = ['./spunet_minkunet_8xb2-100e_scannet-seg.py']
model = dict(backbone=dict(init_cfg=dict(
    type='Pretrained', checkpoint='work_dirs/fac_spunet_8xb4-coslr-100e_scannet-seg/backbone.pth')))
