# CPU demo of PDBEV on the bundled generated scenes (data/samples/bev: six 64x176 cameras,
# a 32-beam LiDAR, cars and pedestrians, drivable area; nuScenes info format). Grid 64x64x4
# at 0.8x0.8x1.0 m over x, y in [-25.6, 25.6] m, z in [-3, 1] m; ResNet-18 + FPN from
# scratch at stride 8; the paper's losses and optimiser.
_base_ = ['./pdbev_r50-fpn_8xb1-30e_nuscenes.py']
data_root = 'data/samples/bev/'
class_names = ['car', 'pedestrian']
point_cloud_range = [-25.6, -25.6, -3.0, 25.6, 25.6, 1.0]
voxel_size = [0.8, 0.8, 1.0]
grid = dict(point_cloud_range=point_cloud_range, voxel_size=voxel_size)
model = dict(
    img_backbone=dict(depth=18, init_cfg=None), feature_level=0,
    img_neck=dict(in_channels=[128, 256, 512], out_channels=64),
    feat_channels=32, bev_channels=64, num_bev_convs=2, bev_stride=1, grid=grid,
    depth_range=(1.0, 40.0), depth_head=dict(mu_init=10.0),
    bbox_head=dict(
        tasks=[dict(num_class=1, class_names=['car']),
               dict(num_class=1, class_names=['pedestrian'])],
        bbox_coder=dict(post_center_range=[-30.0, -30.0, -5.0, 30.0, 30.0, 5.0])),
    test_cfg=dict(post_center_limit_range=[-30.0, -30.0, -5.0, 30.0, 30.0, 5.0],
                  min_radius=[2.0, 0.5]))
load = [dict(type='LoadMultiViewImageFromFiles', to_float32=True, num_views=6),
        dict(type='LoadPointsFromFile', coord_type='LIDAR', load_dim=5, use_dim=5),
        dict(type='LoadAnnotations3D', with_bbox_3d=True, with_label_3d=True,
             with_attr_label=False),
        dict(type='CheckBEVSample', grid=grid),
        dict(type='LoadBEVSegMap', root=data_root + 'bev', num_classes=1),
        dict(type='ObjectRangeFilter', point_cloud_range=point_cloud_range),
        dict(type='ObjectNameFilter', classes=class_names)]
dataset = dict(data_root=data_root, metainfo=dict(classes=class_names, version='v1.0-mini'))
train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                        dataset=dict(dataset, ann_file='bev_infos_train.pkl',
                                     pipeline=load + [dict(type='PackBEVInputs')]))
# evaluation adds the LiDAR visibility map (visible / occluded IoU, box visibility bins)
val_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                      dataset=dict(dataset, ann_file='bev_infos_val.pkl', pipeline=load + [
                          dict(type='LidarBEVVisibility', grid=grid),
                          dict(type='PackBEVInputs')]))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='NuScenesMetric', data_root=data_root, ann_file=data_root + 'bev_infos_val.pkl',
         metric='bbox'),
    dict(type='BEVDetSegMetric', classes=class_names, grid=grid)]
test_evaluator = val_evaluator
param_scheduler = [dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
                   dict(type='CosineAnnealingLR', by_epoch=True, begin=0, end=24, T_max=24,
                        convert_to_iter_based=True)]
train_cfg = dict(max_epochs=24, val_interval=6)
default_hooks = dict(logger=dict(interval=6), checkpoint=dict(interval=6))
