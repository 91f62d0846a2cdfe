# SemiCD-VL on WHU-CD-256 with 5 % labels (297 labelled pairs; train 5947, val 743, test
# 744), the LEVIR-CD recipe otherwise (the release's experiment 48). Other ratios:
# whu-cd-{10,20,40}pct configs.
_base_ = ['./semicd-vl_r50-lighthead_1xb8-80e_levir-cd-5pct.py']
data_root = 'data/whu_cd'
train_dataloader = dict(dataset=dict(labeled=dict(data_root=data_root),
                                     unlabeled=dict(data_root=data_root)))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
