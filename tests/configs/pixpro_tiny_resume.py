# Small enough for a test, long enough (13 iterations an epoch) to be killed mid-epoch.
_base_ = ['../../configs/pixpro/pixpro_r18_1xb16-20e_samples-demo.py']
img_size = 32
max_epochs = 3
view_1 = [  # Gaussian blur always, no solarisation
    dict(type='RandomResizedCropCoord', scale=img_size, crop_ratio_range=(0.08, 1.0),
         backend='pillow'),
    dict(type='RandomFlipCoord', prob=0.5),
    dict(type='RandomApply', prob=0.8, transforms=[
        dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)]),
    dict(type='RandomGrayscale', prob=0.2, keep_channels=True,
         channel_weights=(0.114, 0.587, 0.2989)),
    dict(type='GaussianBlur', magnitude_range=(0.1, 2.0), magnitude_std='inf', prob=1.0),
    dict(type='Solarize', thr=128, prob=0.0),
]
view_2 = [  # blur with p=0.1, solarisation with p=0.2
    dict(type='RandomResizedCropCoord', scale=img_size, crop_ratio_range=(0.08, 1.0),
         backend='pillow'),
    dict(type='RandomFlipCoord', prob=0.5),
    dict(type='RandomApply', prob=0.8, transforms=[
        dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)]),
    dict(type='RandomGrayscale', prob=0.2, keep_channels=True,
         channel_weights=(0.114, 0.587, 0.2989)),
    dict(type='GaussianBlur', magnitude_range=(0.1, 2.0), magnitude_std='inf', prob=0.1),
    dict(type='Solarize', thr=128, prob=0.2),
]
train_dataloader = dict(
    batch_size=4,
    dataset=dict(dataset=dict(pipeline=[
        dict(type='LoadImageFromFileChecked'),
        dict(type='TwoViewsWithCoords', transforms=[view_1, view_2]),
        dict(type='PackInputs', algorithm_keys=['crop_coord']),
    ])))
optim_wrapper = dict(optimizer=dict(lr=0.1))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=1e-4,
                        by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(max_epochs=max_epochs)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=5))
