# Fine-tuned classification on the bundled generated objects, with the demo's tiny ViT.
_base_ = ['./pointvit_cls_8xb4-300e_modelnet40.py']
max_epochs = 40
embed_dims = 96
num_points = 512
model = dict(
    backbone=dict(embed_dims=embed_dims, depth=4, num_heads=4, num_groups=32,
                  num_points=num_points, group_size=16, drop_path_rate=0.0),
    head=dict(num_classes=11, in_channels=2 * embed_dims))
dataset = dict(data_root='data/samples/objects', prefix='objects', suffix='.npy')
train_pipeline = [dict(type='LoadPointsChecked', num_features=3),
                  dict(type='SampleObjectPoints', num_points=num_points, method='fps'),
                  dict(type='AugmentObject', scale=(2 / 3, 3 / 2), translate=0.2, rot_range=0,
                       jitter_std=0.0),
                  dict(type='PackPointObject')]
test_pipeline = [dict(type='LoadPointsChecked', num_features=3),
                 dict(type='SampleObjectPoints', num_points=num_points, method='fps'),
                 dict(type='PackPointObject')]
train_dataloader = dict(batch_size=32, num_workers=2,
                        dataset=dict(dataset, split='train', pipeline=train_pipeline))
val_dataloader = dict(batch_size=32, num_workers=2,
                      dataset=dict(dataset, split='test', pipeline=test_pipeline))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0, end=2,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 2, eta_min=1e-6, by_epoch=True,
         begin=2, end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(max_epochs=max_epochs, val_interval=10)
default_hooks = dict(logger=dict(interval=4), checkpoint=dict(interval=10))
