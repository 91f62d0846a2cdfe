# As the random-init config, with the backbone initialised from PixPro weights
# (override the path with --cfg-options model.backbone.init_cfg.checkpoint=PATH).
_base_ = ['./fcn_r18-d8_1xb8-300i_textures.py']
model = dict(backbone=dict(init_cfg=dict(
    _delete_=True, type='Pretrained', checkpoint='work_dirs/pixpro_textures/backbone.pth')))
