# VOC12aug DeepLabV3 (mmseg recipe) from a PixPro ResNet-50: plain stem (mmseg `ResNet`, not the
# deep-stem V1c), SyncBN, weights from tools/convert_checkpoint.py. Cityscapes runs use 8 GPUs x 2
# images (batch 16, the MoCo-style recipe the paper follows; batch size unverified).
_base_ = ['mmseg::deeplabv3/deeplabv3_r50-d8_4xb4-20k_voc12aug-512x512.py']
custom_imports = dict(imports=['projects.common'], allow_failed_imports=False)
pretrained_backbone = 'work_dirs/pixpro_r50_8xb128-coslr-400e_in1k/backbone.pth'
model = dict(
    pretrained=None,
    backbone=dict(type='ResNet', depth=50,
                  init_cfg=dict(type='Pretrained', checkpoint=pretrained_backbone)))
