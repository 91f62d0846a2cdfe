# As the random-init config, initialised from converted distillation-with-contrast weights.
_base_ = ['./pointvit_cls_8xb4-300e_modelnet40.py']
backbone_ckpt = 'work_dirs/pointdistill_pointvit_8xb8-300e_modelnet40/backbone.pth'
model = dict(backbone=dict(init_cfg=dict(type='Pretrained', checkpoint=backbone_ckpt)))
