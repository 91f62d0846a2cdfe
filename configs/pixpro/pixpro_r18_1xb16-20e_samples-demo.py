# CPU demo: PixPro on the bundled real photographs (data/samples/images), ResNet-18 at
# 96 px, batch 16, 20 epochs of 4 x 17 images. Same losses and schedule shape as the paper
# setting; only sizes differ. Runs in a few minutes on 2 cores.
_base_ = [
    '../_base_/pretrain_runtime.py',
    '../_base_/datasets/pixpro_two_view.py',
    '../_base_/schedules/lars_cosine_warmup.py',
]
custom_imports = dict(imports=['projects.common', 'projects.pixpro'], allow_failed_imports=False)

img_size = 96
max_epochs = 20
model = dict(
    type='PixPro',
    base_momentum=0.01,
    data_preprocessor={{_base_.data_preprocessor}},
    backbone=dict(type='ResNet', depth=18, out_indices=(3, ), norm_cfg=dict(type='BN'),
                  zero_init_residual=True),
    neck=dict(type='ConvMLPNeck', in_channels=512, hid_channels=1024, out_channels=128),
    head=dict(type='PixProHead', channels=128, pos_threshold=0.7, transform_layers=1,
              gamma=2.0),
)

# The base views at the demo's crop size (lists are replaced whole in mmengine configs).
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
    batch_size=16,
    num_workers=0,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type='RepeatDataset', times=4,
        dataset=dict(
            type='CustomDataset', data_root='data/samples/images', with_label=False,
            pipeline=[
                dict(type='LoadImageFromFileChecked'),
                dict(type='TwoViewsWithCoords', transforms=[view_1, view_2]),
                dict(type='PackInputs', algorithm_keys=['crop_coord']),
            ])))

optim_wrapper = dict(optimizer=dict(lr=1.0 * 16 / 256))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=2,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 2, eta_min=1e-6, by_epoch=True,
         begin=2, end=max_epochs, convert_to_iter_based=True),
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
auto_scale_lr = dict(base_batch_size=16)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=5, max_keep_ckpts=2))
