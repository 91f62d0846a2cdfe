# CPU demo of FAC pretraining on the bundled real point cloud (Middlebury motorcycle, from
# stereo): outdoor-style segments (RANSAC plane + DBSCAN), two views with kept
# correspondences, a small SpUNet at 5 cm voxels, L_fg + L_fb with the correlation module.
_base_ = ['../_base_/pretrain_runtime.py']
custom_imports = dict(imports=['projects.common', 'projects.fac'], allow_failed_imports=False)

max_epochs = 10
model = dict(
    type='FAC',
    data_preprocessor=dict(type='BaseDataPreprocessor'),
    backbone=dict(type='SpUNet', base_channels=16,
                  channels=(16, 32, 64, 64, 64, 32, 32, 32), layers=(1, 1, 1, 1, 1, 1, 1, 1)),
    voxel_size=(0.05, 0.05, 0.05),
    feat_dims=(0, 1, 2, 3, 4, 5),  # xyz + rgb
    neck=dict(type='PointProjectorNeck', out_channels=64),
    head=dict(type='FACHead', temperature=0.4, num_pairs=1024, fb_weight=1.0,
              use_correlation=True))

# Each view: a crop, then mmdet3d's rotation/scale, flip and jitter (5 mm on this cloud).
two_views = dict(type='TwoPointViews', crop_ratio=0.8, min_overlap=0.3, view_pipeline=[
    dict(type='GlobalRotScaleTrans', rot_range=[-3.1416, 3.1416], scale_ratio_range=[0.9, 1.1],
         translation_std=[0, 0, 0]),
    dict(type='RandomFlip3D', flip_ratio_bev_horizontal=0.5),
    dict(type='RandomJitterPoints', jitter_std=[0.005] * 3, clip_range=[-0.025, 0.025])])

train_dataloader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(
        type='RepeatDataset', times=4,
        dataset=dict(
            type='PointCloudFolder', data_root='data/samples/pointclouds',
            suffixes=('.npy', ),  # the cloud is stored three ways; the .npy has xyz + rgb
            pipeline=[
                dict(type='LoadPointsChecked', num_features=6),
                # computed once per cloud (cache keyed by the provider's settings)
                dict(type='ComputeSegments', provider=dict(
                    type='GroundClusterSegments', distance_threshold=0.05, eps=0.1,
                    min_points=10, max_clusters=50), cache_dir='data/cache/fac_segments'),
                two_views,
                dict(type='PackTwoPointViews'),
            ])))

# DDP: the correlation module (and, in a scene without two shared segments, the whole
# L_fb branch) may take no part in a step's loss.
model_wrapper_cfg = dict(type='MMDistributedDataParallel', find_unused_parameters=True)
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=1e-4))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=1e-4,
                        by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=5, max_keep_ckpts=2))
