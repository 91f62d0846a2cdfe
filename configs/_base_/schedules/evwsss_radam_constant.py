# EV-WSSS schedule (release): RAdam over both students, betas (0, 0.999), no weight decay,
# constant learning rate (ExponentialLR with gamma 1), epoch-based; on the mmseg runtime.
_base_ = ['../seg_runtime.py']
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='RAdam', lr=5e-4, betas=(0.0, 0.999), weight_decay=0))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=True)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=50, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(logger=dict(interval=50, log_metric_by_epoch=True),
                     checkpoint=dict(by_epoch=True, interval=5, max_keep_ckpts=2))
log_processor = dict(by_epoch=True)
