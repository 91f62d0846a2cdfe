# Transfer check on the bundled composite textures: PixPro on the *unlabelled* train
# composites (data/samples/textures/img_dir/train; the val split is never seen), ResNet-18,
# 128 px crops, batch 32, 40 epochs of 4 x 48 images (240 iterations). The FCN configs in
# downstream/ then fine-tune from these weights and from random init
# (tools/analysis/transfer_vs_scratch.py pixpro).
_base_ = ['./pixpro_r18_1xb16-20e_samples-demo.py']
img_size = 128
max_epochs = 40
batch_size = 32
train_dataloader = dict(
    batch_size=batch_size,
    dataset=dict(dataset=dict(
        data_root='data/samples/textures/img_dir/train',
        pipeline=[
            dict(type='LoadImageFromFileChecked'),
            dict(type='TwoViewsWithCoords', crop_size=img_size,
                 transforms=[{{_base_.view_1}}, {{_base_.view_2}}]),
            dict(type='PackInputs', algorithm_keys=['crop_coord']),
        ])))
optim_wrapper = dict(optimizer=dict(lr=1.0 * batch_size / 256))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=4,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 4, eta_min=1e-6, by_epoch=True,
         begin=4, end=max_epochs, convert_to_iter_based=True),
]
train_cfg = dict(max_epochs=max_epochs)
auto_scale_lr = dict(base_batch_size=batch_size)
default_hooks = dict(logger=dict(interval=5), checkpoint=dict(interval=10))
