# SemiCD-VL on WHU-CD-256 with 40 % labels (otherwise the 5 % config).
_base_ = ['./semicd-vl_r50-lighthead_1xb8-80e_whu-cd-5pct.py']
train_dataloader = dict(dataset=dict(labeled=dict(ann_file='splits/40%/labeled.txt'),
                                     unlabeled=dict(ann_file='splits/40%/unlabeled.txt')))
