# CPU setting on the bundled generated objects (data/samples/objects, train split, labels
# unused): 512 points, 32 groups x 16, a 96-d 4-block ViT, 2 global (50-90 %) + 4 local
# (20-50 %) crops, 32 objects a batch, 60 epochs (~8 iterations each). Same losses and
# schedules as the paper config.
_base_ = ['./pointdistill_pointvit_8xb8-300e_modelnet40.py']
max_epochs = 60
warmup_epochs = 5
embed_dims = 96
model = dict(
    backbone=dict(embed_dims=embed_dims, depth=4, num_heads=4, num_groups=32, num_points=512,
                  group_size=16, drop_path_rate=0.0, out_type='cls_max'),
    neck=dict(out_channels=256, hidden_channels=512, bottleneck_channels=128))
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=False,
    dataset=dict(
        data_root='data/samples/objects', prefix='objects', suffix='.npy',
        pipeline=[dict(type='LoadPointsChecked', num_features=3),
                  dict(type='SampleObjectPoints', num_points=512, method='fps'),
                  dict(type='PointObjectCrops', num_global=2, num_local=4,
                       global_scale=(0.5, 0.9), local_scale=(0.2, 0.5), global_points=512,
                       local_points=160,
                       augment=dict(scale=(0.8, 1.2), translate=0.1, rot_range=3.1416,
                                    up_axis=1, jitter_std=0.01, jitter_clip=0.05)),
                  dict(type='PackPointCrops')]))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=1e-6,
         by_epoch=True, begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True),
    dict(type='CosineAnnealingWeightDecay', eta_min=0.4,
         T_max=max_epochs, by_epoch=True, begin=0, end=max_epochs,
         convert_to_iter_based=True),
]
train_cfg = dict(max_epochs=max_epochs)
default_hooks = dict(logger=dict(interval=4), checkpoint=dict(interval=20))
