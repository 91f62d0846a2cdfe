# ScanNet v2 semantic segmentation (20 classes, mIoU via mmdet3d's SegMetric) with the
# SpUNet-v1m1, from random init. Data-efficient protocol (1/5/10/20/100 % of the 1201 train
# scenes): `python tools/data/subsample_infos.py data/scannet/scannet_infos_train.pkl
# --seed 0` writes seeded random subsets; train on one with --cfg-options
# train_dataloader.dataset.ann_file=scannet_infos_train_1pct_seed0.pkl (5pct, 10pct, 20pct).
_base_ = ['mmdet3d::_base_/datasets/scannet-seg.py', '../../_base_/seg3d_runtime.py',
          './_spunet_minkunet.py']
custom_imports = dict(imports=['projects.common', 'projects.common.models'],
                      allow_failed_imports=False)
max_epochs = 100
model = dict(decode_head=dict(ignore_index=20))
train_dataloader = dict(batch_size=2, num_workers=4)
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=1e-5,
                        by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=10))
log_processor = dict(by_epoch=True)
