# Runtime for downstream semantic segmentation with mmseg (iteration-based).
_base_ = ['./default_runtime.py']
default_scope = 'mmseg'
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=10, log_metric_by_epoch=False),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=1000, max_keep_ckpts=2),
    visualization=dict(type='SegVisualizationHook'),
)
log_processor = dict(by_epoch=False)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='SegLocalVisualizer', vis_backends=vis_backends, name='visualizer')
tta_model = dict(type='SegTTAModel')
