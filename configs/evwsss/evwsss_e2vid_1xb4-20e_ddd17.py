# EV-WSSS paper setting on DDD17 (6 classes, 1 click per class), as the release: forward
# window 20 chunks x 32k events, 5 bins; the reversed stream has the SAME count after the
# label time (the released loader; the paper calls it longer: set reversed_multiplier);
# labels 200x346 (bottom 60 sensor rows cut); no augmentation; batch 4, 20 epochs,
# RAdam 2e-4 constant; tau 0.7, mutual loss from epoch 2, prototype / mimicry weight 0.1,
# queues of 50. The release's extra 0.1 * (L_proto_A + CE_A) term is off by default
# (model.release_extra_proto_weight=0.1 turns it on).
_base_ = ['../_base_/models/evwsss_e2vid.py', '../_base_/datasets/event_seg.py',
          '../_base_/schedules/evwsss_radam_constant.py']
custom_imports = dict(imports=['projects.common', 'projects.evwsss'],
                      allow_failed_imports=False)

model = dict(num_classes=6, pseudo_threshold=0.7, dual_start_epoch=2, proto_weight=0.1,
             queue_length=50, mimicry_weight=0.1)

window = dict(type='LoadEventSequence', num_chunks=20, events_per_chunk=32_000, bins={{_base_.bins}},
              crop_bottom=60)
train_pipeline = [dict(window, reversed_multiplier=1.0), dict(type='PackEventSeg')]
test_pipeline = [window, dict(type='PackEventSeg')]
dataset = dict(type='DDD17Seg', data_root='data/ddd17', points_dir='points_1')
# The release's recording split (train 5, valid 1, test 1): model selection on valid (the
# release's trainer validates on test), test evaluated once, by tools/test.py.
train_dataloader = dict(batch_size=4, num_workers=4, persistent_workers=True,
                        dataset=dict(dataset, split='train', pipeline=train_pipeline))
val_dataloader = dict(batch_size=4, num_workers=4, persistent_workers=True,
                      dataset=dict(dataset, split='valid', pipeline=test_pipeline))
test_dataloader = dict(val_dataloader, dataset=dict(dataset, split='test',
                                                    pipeline=test_pipeline))

optim_wrapper = dict(optimizer=dict(lr=2e-4))
train_cfg = dict(max_epochs=20, val_interval=2)
default_hooks = dict(checkpoint=dict(save_best='mIoU', rule='greater'))
randomness = dict(seed=6)
