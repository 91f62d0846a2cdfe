# EV-WSSS paper setting on DSEC-Semantic (11 classes, 1 click per class), as the release:
# forward window 20 chunks x 100k events ending at the label time, 5 bins per chunk; the
# reversed student sees 5x as many events after the label time (20 chunks x 500k) played
# backwards; bottom 40 rows cut (640x440); random horizontal flip; batch 1, 50 epochs,
# RAdam 5e-4 constant; seed 6. Training labels: every 2nd (10 Hz) after the first 6.
# Data: data/README.md (DSEC-Semantic); point labels from tools/data/make_point_labels.py
# or the release's PNGs (set points_dir).
_base_ = ['../_base_/models/evwsss_e2vid.py', '../_base_/datasets/event_seg.py',
          '../_base_/schedules/evwsss_radam_constant.py']
custom_imports = dict(imports=['projects.common', 'projects.evwsss'],
                      allow_failed_imports=False)

window = dict(type='LoadEventSequence', num_chunks=20, events_per_chunk=100_000, bins={{_base_.bins}},
              crop_bottom=40)
train_pipeline = [dict(window, reversed_multiplier=5.0), dict(type='RandomFlipEvents', prob=0.5),
                  dict(type='PackEventSeg')]
test_pipeline = [window, dict(type='PackEventSeg')]
dataset = dict(type='DSECSemantic', data_root='data/dsec',
               points_dir='semantic/left/11classes/points_1')
# Model selection on a validation sequence held out of train (this suite's choice of
# sequence; the release validates on test): test is evaluated once, by tools/test.py.
val_sequences = ['zurich_city_08_a']
train_dataloader = dict(batch_size=1, num_workers=4, persistent_workers=True,
                        dataset=dict(dataset, split='train', label_stride=2,
                                     exclude_sequences=val_sequences,
                                     pipeline=train_pipeline))
val_dataloader = dict(batch_size=1, num_workers=4, persistent_workers=True,
                      dataset=dict(dataset, split='train', label_stride=1,
                                   sequences=val_sequences, pipeline=test_pipeline))
test_dataloader = dict(val_dataloader, dataset=dict(dataset, split='test', label_stride=1,
                                                    pipeline=test_pipeline))

train_cfg = dict(max_epochs=50, val_interval=5)
default_hooks = dict(checkpoint=dict(save_best='mIoU', rule='greater'))
randomness = dict(seed=6)
