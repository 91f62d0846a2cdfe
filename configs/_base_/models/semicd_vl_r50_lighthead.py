# SemiCD-VL (release config vlm-lighthead-r50): Siamese ResNet-50 (deep stem, last stage
# dilated: strides 4/8/16/16) from ImageNet weights; light change head on |f_A - f_B| of the
# four stages with two projection heads (ground truth / FixMatch vs vision-language labels);
# one auxiliary building head shared by both dates; loss weights of the release.
norm_cfg = dict(type='BN', requires_grad=True)
light_head = dict(type='DualProjectionHead', in_channels=[256, 512, 1024, 2048],
                  in_index=[0, 1, 2, 3], channels=256, num_classes=2, norm_cfg=norm_cfg,
                  align_corners=False)
model = dict(
    type='SemiCDVL',
    backbone=dict(type='ResNetV1c', depth=50, num_stages=4, out_indices=(0, 1, 2, 3),
                  strides=(1, 2, 2, 1), dilations=(1, 1, 1, 2), norm_cfg=norm_cfg,
                  contract_dilation=True,
                  init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnet50_v1c')),
    decode_head=dict(light_head, vl_head=True),
    auxiliary_head=dict(light_head, vl_head=False),
    conf_threshold=0.95, contrast_weight=0.1, bcl_margin=2.0, vl_weight=(0.1, 0.0),
    cutmix_prob=0.5)
