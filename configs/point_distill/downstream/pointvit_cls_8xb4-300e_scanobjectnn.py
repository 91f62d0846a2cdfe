# Fine-tuned classification on ScanObjectNN (PB_T50_RS by default; 2048 points, 15 classes)
# after tools/data/scanobjectnn_to_folder.py (see data/README.md).
_base_ = ['./pointvit_cls_8xb4-300e_modelnet40.py']
num_points = 2048
model = dict(backbone=dict(num_groups=128, num_points=num_points), head=dict(num_classes=15))
dataset = dict(data_root='data/scanobjectnn/pb_t50_rs', prefix='scanobjectnn', suffix='.npy')
train_pipeline = [dict(type='LoadPointsChecked', num_features=3),
                  dict(type='SampleObjectPoints', num_points=num_points, method='fps'),
                  dict(type='AugmentObject', scale=(2 / 3, 3 / 2), translate=0.2, rot_range=0,
                       jitter_std=0.0),
                  dict(type='PackPointObject')]
test_pipeline = [dict(type='LoadPointsChecked', num_features=3),
                 dict(type='SampleObjectPoints', num_points=num_points, method='fps'),
                 dict(type='PackPointObject')]
train_dataloader = dict(dataset=dict(dataset, split='train', pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(dataset, split='test', pipeline=test_pipeline))
test_dataloader = val_dataloader
