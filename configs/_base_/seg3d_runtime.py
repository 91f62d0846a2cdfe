# Runtime for downstream 3D semantic segmentation with mmdet3d (iteration-based).
_base_ = ['./default_runtime.py']
default_scope = 'mmdet3d'
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=10, log_metric_by_epoch=False),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=1000, max_keep_ckpts=2),
)
log_processor = dict(by_epoch=False)
# The visualizer comes with the dataset config, as in mmdet3d's own _base_/datasets.
