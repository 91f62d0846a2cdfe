# Runtime for downstream classification with mmpretrain (epoch-based).
_base_ = ['./default_runtime.py']
default_scope = 'mmpretrain'
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
