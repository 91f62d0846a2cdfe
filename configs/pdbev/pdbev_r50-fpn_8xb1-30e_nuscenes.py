# PDBEV paper setting on nuScenes (6 cameras; grid 400x400x12 at 0.25x0.25x0.5 m over
# x, y in [-50, 50] m, z in [-5, 1] m; BEV neck to 200x200x256), data from mmdet3d's
# nuScenes converter (data/README.md). AdamW 1e-3, weight decay 0.01, 30 epochs, gradient
# clip 35; images 900x1600 -> scaled 0.88 and cropped to 512x1408 (unverified in the spec).
# Detection: mmdet3d's NuScenesMetric; BEV segmentation and visibility bins: BEVDetSegMetric
# (drivable-area rasters from tools/data/nuscenes_bev_masks.py).
_base_ = ['../_base_/models/pdbev_r50_fpn.py', '../_base_/det3d_runtime.py']
custom_imports = dict(imports=['projects.common', 'projects.pdbev'], allow_failed_imports=False)

data_root = 'data/nuscenes/'
cameras = ['CAM_FRONT', 'CAM_FRONT_RIGHT', 'CAM_FRONT_LEFT', 'CAM_BACK', 'CAM_BACK_LEFT',
           'CAM_BACK_RIGHT']
data_prefix = dict(pts='samples/LIDAR_TOP', sweeps='sweeps/LIDAR_TOP',
                   **{c: f'samples/{c}' for c in cameras})
class_names = {{_base_.class_names}}
point_cloud_range = {{_base_.point_cloud_range}}
metainfo = dict(classes=class_names)
load = [dict(type='LoadMultiViewImageFromFiles', to_float32=True, num_views=6),
        dict(type='LoadPointsFromFile', coord_type='LIDAR', load_dim=5, use_dim=5),
        dict(type='LoadAnnotations3D', with_bbox_3d=True, with_label_3d=True,
             with_attr_label=False),
        dict(type='ResizeCropMultiView', scale=0.88, crop=(512, 1408)),
        dict(type='CheckBEVSample', grid={{_base_.model.grid}}),
        dict(type='LoadBEVSegMap', root=data_root + 'bev', num_classes=1),
        dict(type='ObjectRangeFilter', point_cloud_range=point_cloud_range),
        dict(type='ObjectNameFilter', classes=class_names)]
train_pipeline = load + [dict(type='PackBEVInputs')]
# evaluation: the LiDAR visibility map (visible / occluded IoU, box visibility bins)
test_pipeline = load + [dict(type='LidarBEVVisibility', grid={{_base_.model.grid}}),
                        dict(type='PackBEVInputs')]
dataset = dict(type='NuScenesDataset', data_root=data_root, data_prefix=data_prefix,
               modality=dict(use_camera=True, use_lidar=True), metainfo=metainfo,
               box_type_3d='LiDAR', use_valid_flag=True, with_velocity=True)
train_dataloader = dict(batch_size=1, num_workers=4, persistent_workers=True,
                        sampler=dict(type='DefaultSampler', shuffle=True),
                        dataset=dict(dataset, ann_file='nuscenes_infos_train.pkl',
                                     pipeline=train_pipeline))
val_dataloader = dict(batch_size=1, num_workers=4, persistent_workers=True, drop_last=False,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      dataset=dict(dataset, ann_file='nuscenes_infos_val.pkl',
                                   pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='NuScenesMetric', data_root=data_root,
         ann_file=data_root + 'nuscenes_infos_val.pkl', metric='bbox'),
    dict(type='BEVDetSegMetric', classes=class_names, grid={{_base_.model.grid}})]
test_evaluator = val_evaluator

optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.01),
                     clip_grad=dict(max_norm=35, norm_type=2))
param_scheduler = [dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=500),
                   dict(type='CosineAnnealingLR', by_epoch=True, begin=0, end=30, T_max=30,
                        convert_to_iter_based=True)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=30, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(logger=dict(interval=50),
                     checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=2))
