# LARS + linear warm-up + cosine (PixPro/BYOL recipe). 1-D params: no decay, no LARS.
# `lr` is for the batch in `auto_scale_lr.base_batch_size`; `--auto-scale-lr` rescales it.
max_epochs = 100
warmup_epochs = 5
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='LARS', lr=4.0, momentum=0.9, weight_decay=1e-5, eta=0.001),
    constructor='FlatParamsExcludedConstructor')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=1e-6,
         by_epoch=True, begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True),
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
auto_scale_lr = dict(base_batch_size=1024)
