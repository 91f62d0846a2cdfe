# 3D semantic segmentation through mmdet3d: its MinkUNet segmentor and MinkUNetHead with the
# suite's SpUNet backbone (the FAC demo's small widths), 10 cm voxels, SGD, 200 iterations,
# on the generated scenes; SegMetric (mIoU). Random init; the `_fac` config loads FAC weights.
_base_ = ['../../_base_/seg3d_runtime.py', '../../_base_/datasets/synthetic_scenes_seg.py']
custom_imports = dict(imports=['projects.common', 'projects.common.models'],
                      allow_failed_imports=False)
max_iters = 200
model = dict(
    type='MinkUNet',
    data_preprocessor=dict(
        type='SparseSegDataPreprocessor', voxel=True, voxel_type='minkunet', batch_first=True,
        voxel_layer=dict(max_num_points=-1, voxel_size=[0.1, 0.1, 0.1],
                         point_cloud_range=[-10, -10, -5, 10, 10, 5], max_voxels=(-1, -1))),
    backbone=dict(type='SpUNet', in_channels=4, base_channels=16,
                  channels=(16, 32, 64, 64, 64, 32, 32, 32), layers=(1, 1, 1, 1, 1, 1, 1, 1),
                  init_cfg=None),
    decode_head=dict(type='MinkUNetHead', channels=32, num_classes=3, dropout_ratio=0,
                     loss_decode=dict(type='mmdet.CrossEntropyLoss', avg_non_ignore=True),
                     ignore_index=3),
    train_cfg=dict(),
    test_cfg=dict())
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=1e-4))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_iters, eta_min=1e-4, by_epoch=False,
                        begin=0, end=max_iters)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(checkpoint=dict(interval=max_iters))
