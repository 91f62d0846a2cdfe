# CPU demo of SemiCD-VL on the bundled bi-temporal pairs (data/samples/change: synthetic
# changes on real photographs, 64x64; 12 labelled + 108 unlabelled training pairs, 24 val,
# 24 test; vision-language outputs simulated, see data/README.md). ResNet-18 from scratch,
# 64-channel heads, batch 4 + 4 + 4, 40 epochs; the paper's losses and optimiser.
_base_ = ['./semicd-vl_r50-lighthead_1xb8-80e_levir-cd-5pct.py']
data_root = 'data/samples/change'
heads = dict(in_channels=[64, 128, 256, 512], channels=64)
model = dict(backbone=dict(depth=18, init_cfg=None), decode_head=heads, auxiliary_head=heads)
geometry = dict(type='RandomRescaleCropFlip', crop_size=64, ratio_range=(0.8, 1.2),
                flip_prob=0.5)
pseudo = ('vl_change', 'vl_seg_a', 'vl_seg_b')
train_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(
        labeled=dict(data_root=data_root, ann_file='splits/10%/labeled.txt', pipeline=[
            dict(type='LoadChangePair', with_label=True, pseudo_labels=pseudo), geometry,
            dict(type='PackChangeInputs')]),
        unlabeled=dict(data_root=data_root, ann_file='splits/10%/unlabeled.txt', pipeline=[
            dict(type='LoadChangePair', with_label=False, pseudo_labels=pseudo), geometry,
            dict(type='PackChangeInputs')])))
val_dataloader = dict(batch_size=8, num_workers=0, persistent_workers=False,
                      dataset=dict(data_root=data_root))
test_dataloader = dict(batch_size=8, num_workers=0, persistent_workers=False,
                       dataset=dict(data_root=data_root))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=True, begin=0, end=40,
                        convert_to_iter_based=True)]
train_cfg = dict(max_epochs=40, val_interval=5)
default_hooks = dict(logger=dict(interval=9))
