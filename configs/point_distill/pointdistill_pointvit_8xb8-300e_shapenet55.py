# Distillation with contrast pretrained on ShapeNet-55 as Point-BERT / Point-MAE use it
# (52,470 train shapes of 8192 points, labels unused), otherwise the ModelNet40 paper
# setting: 1024 FPS points, the same crops, model, schedule and batch.
# Data: data/README.md (ShapeNet-55).
_base_ = ['./pointdistill_pointvit_8xb8-300e_modelnet40.py']

train_dataloader = dict(dataset=dict(
    _delete_=True, type='ShapeNet55Points', data_root='data/ShapeNet55-34', split='train',
    pipeline=[dict(type='LoadPointsChecked', num_features=3),
              dict(type='SampleObjectPoints', num_points=1024, method='fps'),
              {{_base_.crops}},
              dict(type='PackPointCrops')]))
