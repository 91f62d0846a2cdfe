# FAC paper-scale setting, indoor (ScanNet v2 train scenes through mmdet3d's converter, see
# data/README.md): SpUNet-v1m1, 2 cm voxels, xyz + rgb input, ScanNet's superpoints converted
# to one id per point under data/scannet/superpoints/<scene>.npy, 4096 pairs, tau 0.4,
# lambda 1, SGD lr 0.1 momentum 0.9 wd 1e-4, cosine, 8 GPUs x 4 scenes, 100 epochs.
# Values marked unverified in the spec (batch, epochs, tau, projector, lambda) are options here.
_base_ = ['../_base_/pretrain_runtime.py']
custom_imports = dict(imports=['projects.common', 'projects.fac'], allow_failed_imports=False)
max_epochs = 100
model = dict(
    type='FAC',
    data_preprocessor=dict(type='BaseDataPreprocessor'),
    backbone=dict(type='SpUNet'),
    voxel_size=(0.02, 0.02, 0.02), feat_dims=(0, 1, 2, 3, 4, 5),
    neck=dict(type='PointProjectorNeck', out_channels=128),
    head=dict(type='FACHead', temperature=0.4, num_pairs=4096, fb_weight=1.0,
              use_correlation=True))
train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(
        # mmdet3d's ScanNetSegDataset over whole scenes, each once an epoch (the stock one
        # demands PointNet++'s re-sampled scene list); mmdet3d's transforms
        type='ScanNetWholeSceneSegDataset', data_root='data/scannet',
        ann_file='scannet_infos_train.pkl', scene_idxs=None,
        metainfo=dict(classes=('wall', 'floor', 'cabinet', 'bed', 'chair', 'sofa', 'table',
                               'door', 'window', 'bookshelf', 'picture', 'counter', 'desk',
                               'curtain', 'refrigerator', 'showercurtrain', 'toilet', 'sink',
                               'bathtub', 'otherfurniture')),
        data_prefix=dict(pts='points', pts_semantic_mask='semantic_mask'),
        pipeline=[
            dict(type='mmdet3d.LoadPointsFromFile', coord_type='DEPTH', shift_height=False,
                 use_color=True, load_dim=6, use_dim=[0, 1, 2, 3, 4, 5]),
            dict(type='mmdet3d.NormalizePointsColor', color_mean=None),
            dict(type='ComputeSegments', provider=dict(
                type='PrecomputedSegments', segments_root='data/scannet/superpoints',
                foreground_quantile=0.9)),
            dict(type='TwoPointViews', crop_ratio=0.8, min_overlap=0.3),
            dict(type='PackTwoPointViews'),
        ]))
# DDP: the correlation module (and, in a scene without two shared segments, the whole
# L_fb branch) may take no part in a step's loss.
model_wrapper_cfg = dict(type='MMDistributedDataParallel', find_unused_parameters=True)
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=1e-5,
                        by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
