# As the random-init config, with the SpUNet initialised from FAC weights converted by
# tools/convert_checkpoint.py (override with --cfg-options model.backbone.init_cfg.checkpoint=PATH).
_base_ = ['./spunet-small_minkunet_1xb4-200i_synthetic-scenes.py']
model = dict(backbone=dict(init_cfg=dict(
    _delete_=True, type='Pretrained', checkpoint='work_dirs/fac_transfer/pretrain/backbone.pth')))
