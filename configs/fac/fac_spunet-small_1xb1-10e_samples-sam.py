# The CPU demo with segment-anything segments: SAM masks on the stereo pair's left image
# (a posed frame of the cloud, pointclouds/motorcycle_frames.json) lifted to the points.
# Needs the official SAM ViT-B weights at checkpoints/sam_vit_b_01ec64.pth (the suite
# cannot download them). Mask generator settings: segment-anything's defaults.
_base_ = ['./fac_spunet-small_1xb1-10e_samples-demo.py']
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=[
    dict(type='LoadPointsChecked', num_features=6),
    dict(type='LoadPosedFrames'),
    dict(type='ComputeSegments', provider=dict(
        type='SAMLiftedSegments', checkpoint='checkpoints/sam_vit_b_01ec64.pth',
        model_type='vit_b', overlap=0.5, foreground_quantile=0.9,
        generator=dict(points_per_side=32, points_per_batch=64, pred_iou_thresh=0.88,
                       stability_score_thresh=0.95)),
        cache_dir='data/cache/fac_segments'),  # SAM runs once per cloud and setting
    {{_base_.two_views}},
    dict(type='PackTwoPointViews'),
])))
