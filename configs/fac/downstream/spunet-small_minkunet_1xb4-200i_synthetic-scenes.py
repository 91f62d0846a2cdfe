# 3D semantic segmentation through mmdet3d: its MinkUNet segmentor and MinkUNetHead with the
# suite's SpUNet backbone (the FAC demo's small widths), 10 cm voxels, SGD, 200 iterations,
# on the generated scenes; SegMetric (mIoU). Random init; the `_fac` config loads FAC weights.
_base_ = ['../../_base_/seg3d_runtime.py', '../../_base_/datasets/synthetic_scenes_seg.py',
          './_spunet_minkunet.py']
custom_imports = dict(imports=['projects.common', 'projects.common.models'],
                      allow_failed_imports=False)
max_iters = 200
model = dict(
    data_preprocessor=dict(voxel_layer=dict(voxel_size=[0.1, 0.1, 0.1])),
    backbone=dict(in_channels=4, base_channels=16, channels=(16, 32, 64, 64, 64, 32, 32, 32),
                  layers=(1, 1, 1, 1, 1, 1, 1, 1), init_cfg=None),
    decode_head=dict(channels=32, num_classes=3, ignore_index=3))
optim_wrapper = dict(optimizer=dict(lr=0.05))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_iters, eta_min=1e-4, by_epoch=False,
                        begin=0, end=max_iters)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(checkpoint=dict(interval=max_iters))
