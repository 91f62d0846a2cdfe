# PDBEV: ResNet-50 + FPN image features (stride 16 level), Laplacian depth head, parametric
# lifting into the voxel grid, a 2D BEV neck (stride 2: 400x400 -> 200x200) and mmdet3d's
# CenterHead (its assigner, Gaussian focal and L1 losses) plus a Dice + BCE BEV
# segmentation head; depth loss weight 0.1.
point_cloud_range = [-50.0, -50.0, -5.0, 50.0, 50.0, 1.0]
voxel_size = [0.25, 0.25, 0.5]
bev_stride = 2
class_names = ['car', 'truck', 'construction_vehicle', 'bus', 'trailer', 'barrier',
               'motorcycle', 'bicycle', 'pedestrian', 'traffic_cone']
model = dict(
    type='PDBEV',
    data_preprocessor=dict(type='Det3DDataPreprocessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=False,
                           pad_size_divisor=32),
    img_backbone=dict(type='mmdet.ResNet', depth=50, num_stages=4, out_indices=(1, 2, 3),
                      frozen_stages=-1, norm_cfg=dict(type='BN'), norm_eval=False,
                      init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50')),
    img_neck=dict(type='mmdet.FPN', in_channels=[512, 1024, 2048], out_channels=256,
                  num_outs=3),
    feature_level=1,  # stride 16
    feat_channels=80, bev_channels=256, num_bev_convs=3, bev_stride=bev_stride,
    grid=dict(point_cloud_range=point_cloud_range, voxel_size=voxel_size),
    depth_head=dict(mid_channels=64, min_scale=0.1, mu_init=20.0, b_init=1.0),
    depth_weight=0.1, depth_range=(1.0, 60.0),
    seg_head=dict(type='BEVSegHead', num_classes=1, channels=64),
    bbox_head=dict(
        type='CenterHead',
        tasks=[dict(num_class=1, class_names=['car']),
               dict(num_class=2, class_names=['truck', 'construction_vehicle']),
               dict(num_class=2, class_names=['bus', 'trailer']),
               dict(num_class=1, class_names=['barrier']),
               dict(num_class=2, class_names=['motorcycle', 'bicycle']),
               dict(num_class=2, class_names=['pedestrian', 'traffic_cone'])],
        common_heads=dict(reg=(2, 2), height=(1, 2), dim=(3, 2), rot=(2, 2), vel=(2, 2)),
        share_conv_channel=64,
        # pc_range, voxel_size, out_size_factor (and the head's in_channels, train_cfg's
        # grid_size / voxel_size / point_cloud_range / out_size_factor, test_cfg's pc_range /
        # voxel_size / out_size_factor) are derived from model.grid and bev_stride.
        bbox_coder=dict(type='CenterPointBBoxCoder',
                        post_center_range=[-61.2, -61.2, -10.0, 61.2, 61.2, 10.0],
                        max_num=500, score_threshold=0.1, code_size=9),
        separate_head=dict(type='SeparateHead', init_bias=-2.19, final_kernel=3),
        loss_cls=dict(type='mmdet.GaussianFocalLoss', reduction='mean'),
        loss_bbox=dict(type='mmdet.L1Loss', reduction='mean', loss_weight=0.25),
        norm_bbox=True),
    train_cfg=dict(dense_reg=1, gaussian_overlap=0.1, max_objs=500, min_radius=2,
                   code_weights=[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.2, 0.2]),
    test_cfg=dict(post_center_limit_range=[-61.2, -61.2, -10.0, 61.2, 61.2, 10.0],
                  max_per_img=500, max_pool_nms=False, min_radius=[4, 12, 10, 1, 0.85, 0.175],
                  score_threshold=0.1, nms_type='circle', pre_max_size=1000, post_max_size=83,
                  nms_thr=0.2))
