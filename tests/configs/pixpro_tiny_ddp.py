# Deterministic views (centre square crop; view 2 flipped) and GroupNorm only, so two
# processes with batch 2 must match one process with batch 4 up to float rounding.
_base_ = ['../../configs/pixpro/pixpro_r18_1xb16-20e_samples-demo.py']
custom_imports = dict(imports=['projects.common', 'projects.pixpro', 'densepre_test_helpers'],
                      allow_failed_imports=False)
gn = dict(type='GN', num_groups=8)
model = dict(backbone=dict(norm_cfg=gn), neck=dict(norm_cfg=gn))
crop = dict(type='RandomResizedCropCoord', scale=32, max_attempts=0,
            aspect_ratio_range=(1.0, 1.0))
train_dataloader = dict(
    batch_size=4,
    dataset=dict(times=1, dataset=dict(pipeline=[
        dict(type='LoadImageFromFileChecked'),
        dict(type='TwoViewsWithCoords',
             transforms=[[crop], [crop, dict(type='RandomFlipCoord', prob=1.0)]]),
        dict(type='PackInputs', algorithm_keys=['crop_coord']),
    ])))
optim_wrapper = dict(optimizer=dict(lr=0.5))
param_scheduler = []
train_cfg = dict(max_epochs=1)
default_hooks = dict(checkpoint=dict(interval=1))
custom_hooks = [dict(type='NonFiniteLossHook'), dict(type='DumpParamsHook')]
