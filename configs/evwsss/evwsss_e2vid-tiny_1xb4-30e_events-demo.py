# CPU demo of EV-WSSS on the bundled simulated event sequences (data/samples/events: a
# 64x48 camera sweeping over real texture photographs; 4 classes; one click per class).
# Forward student: the 50 ms before the label time as 4 chunks x 5 bins; reversed student:
# the 100 ms after it, played backwards. Tiny E2VID (8-64 channels). Loss weights, tau and
# optimiser as the paper's DSEC setting (RAdam 5e-4, betas (0, 0.999), constant lr); the
# prototype / mimicry terms start at epoch 2.
_base_ = ['../_base_/seg_runtime.py']
custom_imports = dict(imports=['projects.common', 'projects.evwsss'],
                      allow_failed_imports=False)

max_epochs = 30
model = dict(
    type='EVWSSS', num_classes=4, in_channels=5, base_channels=8, dual=True,
    pseudo_threshold=0.5, dual_weight=0.5, dual_start_epoch=0, proto_weight=1.0,
    proto_scale=8, proto_temp=0.1, queue_length=50, proto_start_epoch=2, proto_gate='any',
    mimicry_weight=1.0, mimicry_scales=(2, 4, 8), mimicry_start_epoch=2)

window = dict(type='LoadEventSequence', num_chunks=4, bins=5, duration_us=50_000)
train_pipeline = [dict(window, reversed_multiplier=2.0), dict(type='RandomFlipEvents', prob=0.5),
                  dict(type='PackEventSeg')]
test_pipeline = [window, dict(type='PackEventSeg')]
dataset = dict(type='EventSegFolder', data_root='data/samples/events', points=1)
train_dataloader = dict(batch_size=4, num_workers=2, persistent_workers=False,
                        sampler=dict(type='DefaultSampler', shuffle=True),
                        collate_fn=dict(type='default_collate'),
                        dataset=dict(dataset, split='train', pipeline=train_pipeline))
val_dataloader = dict(batch_size=4, num_workers=2, persistent_workers=False,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      collate_fn=dict(type='default_collate'),
                      dataset=dict(dataset, split='val', pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator

optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='RAdam', lr=5e-4, betas=(0.0, 0.999), weight_decay=0))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=True, begin=0, end=max_epochs)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(logger=dict(interval=6, log_metric_by_epoch=True),
                     checkpoint=dict(by_epoch=True, interval=10, max_keep_ckpts=2))
log_processor = dict(by_epoch=True)
