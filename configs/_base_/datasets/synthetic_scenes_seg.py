# Generated labelled 3D scenes (tools/data/make_samples.py): ground / box / cylinder,
# mmdet3d Seg3DDataset layout, evaluated with mmdet3d's SegMetric.
dataset_type = 'SyntheticScenesDataset'
data_root = 'data/samples/scenes'
data_prefix = dict(pts='points', pts_semantic_mask='semantic_mask')
metainfo = dict(classes=('ground', 'box', 'cylinder'))
load = [
    dict(type='LoadPointsFromFile', coord_type='DEPTH', load_dim=4, use_dim=4),
    dict(type='LoadAnnotations3D', with_bbox_3d=False, with_label_3d=False, with_seg_3d=True,
         seg_3d_dtype='np.uint8'),
    dict(type='PointSegClassMapping'),
]
train_pipeline = load + [
    dict(type='GlobalRotScaleTrans', rot_range=[-3.1416, 3.1416], scale_ratio_range=[0.95, 1.05],
         translation_std=[0, 0, 0]),
    dict(type='Pack3DDetInputs', keys=['points', 'pts_semantic_mask']),
]
test_pipeline = load + [dict(type='Pack3DDetInputs', keys=['points', 'pts_semantic_mask'])]
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, data_prefix=data_prefix,
                 metainfo=metainfo,
                 ann_file='scenes_infos_train.pkl', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, data_prefix=data_prefix,
                 metainfo=metainfo,
                 ann_file='scenes_infos_val.pkl', pipeline=test_pipeline, test_mode=True))
test_dataloader = val_dataloader
val_evaluator = dict(type='SegMetric')
test_evaluator = val_evaluator
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Det3DLocalVisualizer', vis_backends=vis_backends, name='visualizer')
