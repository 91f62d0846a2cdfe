# FAC paper-scale setting, outdoor (SemanticKITTI sequences through mmdet3d's converter):
# 5 cm voxels, x/y/z/intensity, RANSAC ground + DBSCAN segments (0.25 m, 3 points, 200
# iterations; eps 0.25 m, 10 points; 50 clusters), tau 0.1 (unverified), 4096 pairs.
_base_ = ['./fac_spunet_8xb4-coslr-100e_scannet-seg.py']
model = dict(voxel_size=(0.05, 0.05, 0.05), feat_dims=(0, 1, 2, 3),
             head=dict(temperature=0.1))
train_dataloader = dict(dataset=dict(
    _delete_=True, type='mmdet3d.SemanticKittiDataset', data_root='data/semantickitti',
    ann_file='semantickitti_infos_train.pkl',
    # mmdet3d's dataset needs class names and a label mapping; pretraining reads no labels
    metainfo=dict(classes=('car', 'bicycle', 'motorcycle', 'truck', 'bus', 'person',
                           'bicyclist', 'motorcyclist', 'road', 'parking', 'sidewalk',
                           'other-ground', 'building', 'fence', 'vegetation', 'trunck',
                           'terrian', 'pole', 'traffic-sign'),
                  seg_label_mapping=dict(), max_label=259),
    pipeline=[
        dict(type='mmdet3d.LoadPointsFromFile', coord_type='LIDAR', load_dim=4, use_dim=4),
        # segments computed once per scan (cache invalidated by the provider's settings)
        dict(type='ComputeSegments', provider=dict(type='GroundClusterSegments'),
             cache_dir='data/semantickitti/fac_segments_cache'),
        dict(type='TwoPointViews', crop_ratio=0.8, min_overlap=0.3, view_pipeline=[
            dict(type='mmdet3d.GlobalRotScaleTrans', rot_range=[-3.1416, 3.1416],
                 scale_ratio_range=[0.9, 1.1], translation_std=[0, 0, 0]),
            dict(type='mmdet3d.RandomFlip3D', flip_ratio_bev_horizontal=0.5,
                 flip_ratio_bev_vertical=0.5),
            dict(type='mmdet3d.RandomJitterPoints', jitter_std=[0.01] * 3, clip_range=[-0.05, 0.05]),
            # the suite's reading: the +-51.2 m x/y range of mmdet3d's SemanticKITTI setups
            dict(type='mmdet3d.PointsRangeFilter', point_cloud_range=[-51.2, -51.2, -4, 51.2, 51.2, 2.4]),
        ]),
        dict(type='PackTwoPointViews'),
    ]))
