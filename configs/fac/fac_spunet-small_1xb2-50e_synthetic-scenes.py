# FAC pretraining on the *unlabelled* generated train scenes (scenes/points/train) plus the
# bundled real stereo point cloud (pointclouds/motorcycle.bin: x, y, z, mean colour), the
# backbone the downstream/ MinkUNet configs fine-tune: 4 input channels (x, y, z,
# intensity), 10 cm voxels, outdoor segments with the spec's thresholds (0.25 m).
_base_ = ['./fac_spunet-small_1xb1-10e_samples-demo.py']
max_epochs = 50
model = dict(voxel_size=(0.1, 0.1, 0.1), feat_dims=(0, 1, 2, 3))
pipeline = [
    dict(type='LoadPointsChecked', num_features=4),
    dict(type='ComputeSegments', provider=dict(type='GroundClusterSegments'),
         cache_dir='data/cache/fac_segments'),  # once per scene
    dict(type='TwoPointViews', crop_ratio=0.8, min_overlap=0.3),
    dict(type='PackTwoPointViews'),
]
train_dataloader = dict(
    batch_size=2,
    dataset=dict(_delete_=True, type='ConcatDataset', datasets=[
        dict(type='PointCloudFolder', data_root='data/samples/scenes/points/train',
             suffixes=('.bin', ), pipeline=pipeline),
        dict(type='PointCloudFolder', data_root='data/samples/pointclouds',
             suffixes=('.bin', ), pipeline=pipeline),
    ]))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=1e-4,
                        by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(max_epochs=max_epochs)
default_hooks = dict(logger=dict(interval=4), checkpoint=dict(interval=10))
