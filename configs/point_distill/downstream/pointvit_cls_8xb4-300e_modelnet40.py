# Fine-tuned classification on ModelNet40 (1024 points) with the point ViT: mmpretrain's
# ImageClassifier, [CLS, max-pooled tokens] -> 256-256 MLP head (BN, dropout 0.5),
# overall and per-class accuracy with mmpretrain's Accuracy / SingleLabelMetric.
# Set model.backbone.init_cfg to a converted pretraining checkpoint (see _pretrained).
_base_ = ['../../_base_/cls_runtime.py']
custom_imports = dict(imports=['projects.common', 'projects.point_distill'],
                      allow_failed_imports=False)

max_epochs = 300
embed_dims = 192
num_points = 1024
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(type='PointClsDataPreprocessor'),
    backbone=dict(type='PointViT', embed_dims=embed_dims, depth=12, num_heads=6,
                  num_groups=64, num_points=num_points, group_size=32, drop_path_rate=0.1,
                  out_type='cls_max'),
    head=dict(type='StackedLinearClsHead', num_classes=40, in_channels=2 * embed_dims,
              mid_channels=[256, 256], dropout_rate=0.5, norm_cfg=dict(type='BN1d'),
              act_cfg=dict(type='ReLU'), loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))

dataset = dict(type='PointObjectFolder', data_root='data/modelnet40_normal_resampled',
               prefix='modelnet40', suffix='.txt')
train_pipeline = [dict(type='LoadPointsChecked', num_features=6),
                  dict(type='SampleObjectPoints', num_points=num_points, method='fps'),
                  dict(type='AugmentObject', scale=(2 / 3, 3 / 2), translate=0.2, rot_range=0,
                       jitter_std=0.0),
                  dict(type='PackPointObject')]
test_pipeline = [dict(type='LoadPointsChecked', num_features=6),
                 dict(type='SampleObjectPoints', num_points=num_points, method='fps'),
                 dict(type='PackPointObject')]
train_dataloader = dict(batch_size=4, num_workers=4, drop_last=True,
                        sampler=dict(type='DefaultSampler', shuffle=True),
                        collate_fn=dict(type='default_collate'),
                        dataset=dict(dataset, split='train', pipeline=train_pipeline))
val_dataloader = dict(batch_size=16, num_workers=4,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      collate_fn=dict(type='default_collate'),
                      dataset=dict(dataset, split='test', pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = [dict(type='Accuracy', topk=(1, )),
                 dict(type='SingleLabelMetric', average=None, items=['recall'])]
test_evaluator = val_evaluator

optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='AdamW', lr=5e-4, weight_decay=0.05),
                     paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0, end=10,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 10, eta_min=1e-6, by_epoch=True,
         begin=10, end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict()
test_cfg = dict()
# The last checkpoint is reported: ModelNet40 and ScanObjectNN have no validation split, and
# picking the best epoch on the test split would overstate the accuracy.
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=2))
