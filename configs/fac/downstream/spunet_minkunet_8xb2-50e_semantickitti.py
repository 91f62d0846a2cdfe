# SemanticKITTI semantic segmentation (19 classes, SegMetric) with the SpUNet-v1m1 at 5 cm
# voxels on x/y/z/intensity, from random init. Label fractions (0.1 / 1 / 10 / 50 % of the
# scans, evenly spread over each sequence: our reading, FAC's own fractions unverified):
# tools/data/subsample_infos.py data/semantickitti/semantickitti_infos_train.pkl
#   --fractions 0.001 0.01 0.1 0.5 --strategy uniform, then
# --cfg-options train_dataloader.dataset.ann_file=semantickitti_infos_train_1pct_uniform.pkl
# (--strategy random --seed S for seeded random scans).
_base_ = ['mmdet3d::_base_/datasets/semantickitti.py', '../../_base_/seg3d_runtime.py',
          './_spunet_minkunet.py']
custom_imports = dict(imports=['projects.common', 'projects.common.models'],
                      allow_failed_imports=False)
max_epochs = 50
model = dict(
    data_preprocessor=dict(voxel_layer=dict(voxel_size=[0.05, 0.05, 0.05])),
    backbone=dict(in_channels=4),
    decode_head=dict(num_classes=19, ignore_index=19))
train_dataloader = dict(batch_size=2, num_workers=4)
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=1e-5,
                        by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=5))
log_processor = dict(by_epoch=True)
