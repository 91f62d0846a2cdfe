# PixPro paper/release setting: ResNet-50, 224 px, 8 x 128 = 1024 images per step, LARS with
# lr 1.0 x 1024/256, wd 1e-5 (1-D params excluded), 5 warm-up epochs + cosine, 100 epochs,
# AMP, ImageNet-1k train (labels unused). T = 0.7, gamma = 2, one-layer g, no instance branch.
_base_ = [
    '../_base_/pretrain_runtime.py',
    '../_base_/datasets/pixpro_two_view.py',
    '../_base_/schedules/lars_cosine_warmup.py',
]
custom_imports = dict(imports=['projects.common', 'projects.pixpro'], allow_failed_imports=False)

model = dict(
    type='PixPro',
    base_momentum=0.01,  # momentum encoder m: 0.99 -> 1 (cosine)
    data_preprocessor={{_base_.data_preprocessor}},
    backbone=dict(type='ResNet', depth=50, out_indices=(3, ), norm_cfg=dict(type='SyncBN'),
                  zero_init_residual=True),
    neck=dict(type='ConvMLPNeck', in_channels=2048, hid_channels=4096, out_channels=256,
              norm_cfg=dict(type='SyncBN')),
    head=dict(type='PixProHead', channels=256, pos_threshold=0.7, transform_layers=1,
              gamma=2.0, clamp_value=0.0, norm_cfg=dict(type='SyncBN')),
)

train_dataloader = dict(
    batch_size=128,
    num_workers=8,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    # every image under train/ (labels unused): a plain ILSVRC2012 download needs neither
    # mmpretrain's meta/train.txt nor exactly 1000 class folders (ImageNet-100 works too)
    dataset=dict(type='CustomDataset', data_root='data/imagenet', data_prefix='train',
                 with_label=False, pipeline={{_base_.train_pipeline}}))

optim_wrapper = dict(type='AmpOptimWrapper', loss_scale='dynamic')
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
