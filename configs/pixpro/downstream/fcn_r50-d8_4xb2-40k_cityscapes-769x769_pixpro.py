# Cityscapes FCN (mmseg recipe) from PixPro weights, loaded by the plain-stem mmseg `ResNet`
# (PixPro trains no deep stem, so not mmseg's default `ResNetV1c`).
# Cityscapes: run on 8 GPUs x 2 images (batch 16, the MoCo-style recipe the paper follows;
# the batch size is unverified in the spec).
_base_ = ['mmseg::fcn/fcn_r50-d8_4xb2-40k_cityscapes-769x769.py', './_pixpro_r50_backbone.py']
model = dict(pretrained=None,
             backbone=dict(type='ResNet', init_cfg={{_base_.pixpro_backbone_init}}))
