# PixPro's asymmetric BYOL-style views, each remembering its crop box (and flip).
# Another crop size: set `crop_size` of `TwoViewsWithCoords` (see the demo config).
data_preprocessor = dict(
    type='SelfSupDataPreprocessor',
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)

crop = dict(type='RandomResizedCropCoord', scale=224, crop_ratio_range=(0.08, 1.0),
            backend='pillow')
flip = dict(type='RandomFlipCoord', prob=0.5)
colour = [
    dict(type='RandomApply', prob=0.8, transforms=[
        dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)]),
    dict(type='RandomGrayscale', prob=0.2, keep_channels=True,
         channel_weights=(0.114, 0.587, 0.2989)),
]
view_1 = [crop, flip, *colour,  # Gaussian blur always, no solarisation
          dict(type='GaussianBlur', magnitude_range=(0.1, 2.0), magnitude_std='inf', prob=1.0),
          dict(type='Solarize', thr=128, prob=0.0)]
view_2 = [crop, flip, *colour,  # blur with p=0.1, solarisation with p=0.2
          dict(type='GaussianBlur', magnitude_range=(0.1, 2.0), magnitude_std='inf', prob=0.1),
          dict(type='Solarize', thr=128, prob=0.2)]
train_pipeline = [
    dict(type='LoadImageFromFileChecked'),
    dict(type='TwoViewsWithCoords', transforms=[view_1, view_2]),
    dict(type='PackInputs', algorithm_keys=['crop_coord']),
]
