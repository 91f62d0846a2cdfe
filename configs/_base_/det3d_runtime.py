# Runtime for multi-camera 3D detection / BEV segmentation with mmdet3d (epoch-based).
_base_ = ['./default_runtime.py']
default_scope = 'mmdet3d'
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Det3DLocalVisualizer', vis_backends=vis_backends, name='visualizer')
