# Downstream check on the bundled composite textures: FCN on a dilated ResNet-18 (output
# stride 8), SGD + poly, 300 iterations of batch 8. Random init by default; the `_pixpro`
# config loads PixPro weights converted with tools/convert_checkpoint.py.
_base_ = ['../../_base_/seg_runtime.py', '../../_base_/datasets/composite_textures.py']
custom_imports = dict(imports=['projects.common', 'projects.pixpro'], allow_failed_imports=False)

max_iters = 300
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0, seg_pad_val=255,
        size=(128, 128)),
    backbone=dict(
        type='ResNet', depth=18, num_stages=4, out_indices=(3, ), dilations=(1, 1, 2, 4),
        strides=(1, 2, 1, 1), norm_cfg=norm_cfg, norm_eval=False, style='pytorch',
        contract_dilation=True, init_cfg=None),
    decode_head=dict(
        type='FCNHead', in_channels=512, in_index=0, channels=128, num_convs=1,
        concat_input=False, dropout_ratio=0.1, num_classes=4, norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))

optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4))
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(checkpoint=dict(interval=max_iters))
