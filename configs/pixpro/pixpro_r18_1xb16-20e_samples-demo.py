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
                dict(type='TwoViewsWithCoords', crop_size=img_size,
                     transforms=[{{_base_.view_1}}, {{_base_.view_2}}]),
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
