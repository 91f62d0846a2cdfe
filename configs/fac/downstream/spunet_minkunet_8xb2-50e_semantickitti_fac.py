# As the random-init SemanticKITTI config, initialised from FAC (SemanticKITTI) weights.
_base_ = ['./spunet_minkunet_8xb2-50e_semantickitti.py']
fac_backbone = 'work_dirs/fac_spunet_8xb4-coslr-100e_semantickitti/backbone.pth'
model = dict(backbone=dict(init_cfg=dict(type='Pretrained', checkpoint=fac_backbone)))
