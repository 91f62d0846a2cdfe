# As the random-init config, initialised from the demo's converted pretraining weights.
_base_ = ['./pointvit-tiny_cls_1xb32-40e_objects.py']
backbone_ckpt = 'work_dirs/pointdistill_pointvit-tiny_1xb32-60e_objects-demo/backbone.pth'
model = dict(backbone=dict(init_cfg=dict(type='Pretrained', checkpoint=backbone_ckpt)))
