# ScanNet v2 semantic segmentation (20 classes, mIoU via mmdet3d's SegMetric) with the
# SpUNet-v1m1 from random init, as CSC / FAC / Pointcept fine-tune sparse U-Nets: whole
# scenes in absolute coordinates (as in pretraining), 2 cm voxels, random rotation about z,
# scaling and flips; no patch sampling and no re-sampled scene list, so the info files of
# tools/data/subsample_infos.py work as they are.
# Data-efficient protocols (ScanNet's data-efficient benchmark files, as Pointcept reads
# them, under data/scannet/tasks/):
# * limited scenes (1/5/10/20 %): the official lists,
#   `--cfg-options train_dataloader.dataset.scene_list=tasks/scenes/1.txt` (relative to
#   data_root), or a seeded random info file of tools/data/subsample_infos.py as ann_file;
# * limited annotations (20/50/100/200 points a scene): the official {scene: vertex
#   indices} files, `train_dataloader.dataset.pipeline.3.annotation_file=
#   data/scannet/tasks/points/points20` (tools/data/scannet_export.py keeps every mesh
#   vertex in order, so the indices are point indices), or a seeded draw,
#   `train_dataloader.dataset.pipeline.3.num_points=20` (0 = all labels).
_base_ = ['mmdet3d::_base_/datasets/scannet-seg.py', '../../_base_/seg3d_runtime.py',
          './_spunet_minkunet.py']
custom_imports = dict(imports=['projects.common', 'projects.common.models'],
                      allow_failed_imports=False)
max_epochs = 100
ignore_index = 20
load_points = dict(type='LoadPointsFromFile', coord_type='DEPTH', shift_height=False,
                   use_color=True, load_dim=6, use_dim=[0, 1, 2, 3, 4, 5])
load_labels = dict(type='LoadAnnotations3D', with_bbox_3d=False, with_label_3d=False,
                   with_mask_3d=False, with_seg_3d=True)
train_pipeline = [
    load_points, load_labels, dict(type='PointSegClassMapping'),
    dict(type='LimitedAnnotation', num_points=0, ignore_index=ignore_index),
    dict(type='GlobalRotScaleTrans', rot_range=[-3.14159265, 3.14159265],
         scale_ratio_range=[0.9, 1.1], translation_std=[0, 0, 0]),
    dict(type='RandomFlip3D', sync_2d=False, flip_ratio_bev_horizontal=0.5,
         flip_ratio_bev_vertical=0.5),
    dict(type='NormalizePointsColor', color_mean=None),
    dict(type='Pack3DDetInputs', keys=['points', 'pts_semantic_mask']),
]
test_pipeline = [load_points, load_labels, dict(type='NormalizePointsColor', color_mean=None),
                 dict(type='Pack3DDetInputs', keys=['points'])]
model = dict(decode_head=dict(ignore_index=ignore_index))
train_dataloader = dict(batch_size=2, num_workers=4, dataset=dict(
    type='ScanNetWholeSceneSegDataset', pipeline=train_pipeline, scene_idxs=None))
val_dataloader = dict(dataset=dict(type='ScanNetWholeSceneSegDataset', pipeline=test_pipeline))
test_dataloader = val_dataloader
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=1e-5,
                        by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=10))
log_processor = dict(by_epoch=True)
