# Distillation with contrast, paper setting (docs/methods/point_distill.md):
# 1024 FPS points, 64 groups x 32 neighbours, point ViT 192-d (unverified; POS-BERT: 384)
# with 12 blocks (the spec says "4+"), 6 heads; DINO head 2048-256 -> 512 prototypes;
# 2 global crops (50-90 %) + 8 local (20-50 %); teacher 0.996 -> 1 (cosine);
# tau_t 0.04, tau_s 0.1, centre momentum 0.9; InfoNCE tau 0.2, weight 1 (unverified);
# AdamW lr 5e-4 * 64/64, weight decay 0.04 -> 0.4 (cosine), 10 warm-up epochs, 300 epochs,
# 64 objects a batch (8 GPUs x 8), gradient clipping 3.0.
_base_ = ['../_base_/pretrain_runtime.py']
custom_imports = dict(imports=['projects.common', 'projects.point_distill'],
                      allow_failed_imports=False)

max_epochs = 300
warmup_epochs = 10
embed_dims = 192
model = dict(
    type='PointDistillation',
    backbone=dict(type='PointViT', embed_dims=embed_dims, depth=12, num_heads=6,
                  num_groups=64, num_points=1024, group_size=32, drop_path_rate=0.1,
                  out_type='cls'),
    neck=dict(type='DINOProjectionNeck', out_channels=512, hidden_channels=2048,
              bottleneck_channels=256),
    head=dict(type='DistillContrastHead', student_temp=0.1, teacher_temp=0.04,
              warmup_teacher_temp=0.04, warmup_teacher_temp_iters=0, center_momentum=0.9,
              dino_weight=1.0, contrast_temp=0.2, contrast_weight=1.0),
    num_global_crops=2, base_momentum=0.004)

crops = dict(type='PointObjectCrops', num_global=2, num_local=8, global_scale=(0.5, 0.9),
             local_scale=(0.2, 0.5), global_points=1024, local_points=256,
             augment=dict(scale=(0.8, 1.2), translate=0.1, rot_range=3.1416, up_axis=1,
                          jitter_std=0.01, jitter_clip=0.05))
train_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type='PointObjectFolder', data_root='data/modelnet40_normal_resampled', split='train',
        prefix='modelnet40', suffix='.txt',
        pipeline=[dict(type='LoadPointsChecked', num_features=6),
                  dict(type='SampleObjectPoints', num_points=1024, method='fps'),
                  crops,
                  dict(type='PackPointCrops')]))

base_lr = 5e-4 * 64 / 64
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='AdamW', lr=base_lr, weight_decay=0.04),
                     clip_grad=dict(max_norm=3.0),
                     paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0,
                                        custom_keys={'cls_token': dict(decay_mult=0.0),
                                                     'cls_pos': dict(decay_mult=0.0)}))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=1e-6,
         by_epoch=True, begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True),
    dict(type='CosineAnnealingWeightDecay', eta_min=0.4,
         T_max=max_epochs, by_epoch=True, begin=0, end=max_epochs,
         convert_to_iter_based=True),
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=10, max_keep_ckpts=3))
