# VOC12aug FCN (mmseg recipe) from PixPro weights, loaded by the plain-stem mmseg `ResNet`
# (PixPro trains no deep stem, so not mmseg's default `ResNetV1c`).
_base_ = ['mmseg::fcn/fcn_r50-d8_4xb4-20k_voc12aug-512x512.py', './_pixpro_r50_backbone.py']
model = dict(pretrained=None,
             backbone=dict(type='ResNet', init_cfg={{_base_.pixpro_backbone_init}}))
