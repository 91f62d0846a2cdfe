# SemiCD-VL paper setting on LEVIR-CD-256 with 5 % labels (356 labelled pairs): batch 8
# labelled + 8 unlabelled (+ 8 CutMix partners), crops of 256, 80 epochs over the unlabelled
# pairs, SGD momentum 0.9, wd 1e-4, lr 0.02 backbone / 0.2 heads, poly 0.9 per iteration,
# no warm-up; the checkpoint is chosen on the val split by changed-class IoU (the release
# selects on test). Other ratios: levir-cd-{10,20,40}pct configs.
_base_ = ['../_base_/models/semicd_vl_r50_lighthead.py', '../_base_/datasets/change_semi.py',
          '../_base_/seg_runtime.py']
custom_imports = dict(imports=['projects.common', 'projects.semicd_vl'],
                      allow_failed_imports=False)

optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.2, momentum=0.9, weight_decay=1e-4),
                     paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1)}))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=True, begin=0, end=80,
                        convert_to_iter_based=True)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=80, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    logger=dict(interval=50, log_metric_by_epoch=True),
    checkpoint=dict(by_epoch=True, interval=1, max_keep_ckpts=1, save_best='IoU_changed',
                    rule='greater'))
log_processor = dict(by_epoch=True)
