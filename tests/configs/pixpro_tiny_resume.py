# Small enough for a test, long enough (13 iterations an epoch) to be killed mid-epoch.
_base_ = ['../../configs/pixpro/pixpro_r18_1xb16-20e_samples-demo.py']
max_epochs = 3
train_dataloader = dict(
    batch_size=4,
    dataset=dict(dataset=dict(pipeline=[
        dict(type='LoadImageFromFileChecked'),
        dict(type='TwoViewsWithCoords', crop_size=32,
             transforms=[{{_base_.view_1}}, {{_base_.view_2}}]),
        dict(type='PackInputs', algorithm_keys=['crop_coord']),
    ])))
optim_wrapper = dict(optimizer=dict(lr=0.1))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=1e-4,
                        by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(max_epochs=max_epochs)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=5))
