# Pascal VOC Faster R-CNN R50-C4 (the paper's detection transfer): VOC07+12 trainval, 24k
# iterations, batch 16, lr 0.02 with steps at 18k/22k, SyncBN trained in the backbone and the
# C5 head, torchvision-style stride, RGB input with ImageNet mean/std. The C5 head (layer4)
# is initialised from the same converted checkpoint.
_base_ = ['mmdet::pascal_voc/faster-rcnn_r50-caffe-c4_ms-18k_voc0712.py', './_pixpro_r50_backbone.py']
norm_cfg = dict(type='SyncBN', requires_grad=True)
max_iters = 24000
model = dict(
    data_preprocessor=dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
                           bgr_to_rgb=True),
    backbone=dict(frozen_stages=-1, norm_cfg=norm_cfg, norm_eval=False, style='pytorch',
                  init_cfg={{_base_.pixpro_backbone_init}}),
    roi_head=dict(shared_head=dict(
        norm_cfg=norm_cfg, norm_eval=False, style='pytorch',
        init_cfg={{_base_.pixpro_backbone_init}})))
train_cfg = dict(max_iters=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=100),
    dict(type='MultiStepLR', begin=0, end=max_iters, by_epoch=False, milestones=[18000, 22000],
         gamma=0.1),
]
