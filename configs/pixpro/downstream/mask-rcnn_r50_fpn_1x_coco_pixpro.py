# COCO Mask R-CNN R50-FPN 1x (mmdet recipe) from a PixPro ResNet-50, as in the paper's
# transfer: torchvision-style stride (style='pytorch'), RGB input with ImageNet mean/std,
# SyncBN trained in backbone and FPN, no frozen stages.
_base_ = ['mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py', './_pixpro_r50_backbone.py']
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    data_preprocessor=dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
                           bgr_to_rgb=True),
    backbone=dict(frozen_stages=-1, norm_cfg=norm_cfg, norm_eval=False, style='pytorch',
                  init_cfg={{_base_.pixpro_backbone_init}}),
    neck=dict(norm_cfg=norm_cfg))
