# CPU demo of EV-WSSS on the bundled simulated event sequences (data/samples/events: a
# 64x48 camera sweeping over real texture photographs; 4 classes; one click per class).
# Forward student: the 50 ms before the label time as 4 chunks x 5 bins; reversed student:
# the 100 ms after it, played backwards. Tiny E2VID (8-64 channels). Loss weights, tau and
# optimiser as the paper's DSEC setting; the prototype / mimicry terms start at epoch 2.
_base_ = ['../_base_/models/evwsss_e2vid.py', '../_base_/datasets/event_seg.py',
          '../_base_/schedules/evwsss_radam_constant.py']
custom_imports = dict(imports=['projects.common', 'projects.evwsss'],
                      allow_failed_imports=False)

model = dict(num_classes=4, base_channels=8, queue_length=50)

window = dict(type='LoadEventSequence', num_chunks=4, bins={{_base_.bins}}, duration_us=50_000)
train_pipeline = [dict(window, reversed_multiplier=2.0), dict(type='RandomFlipEvents', prob=0.5),
                  dict(type='PackEventSeg')]
test_pipeline = [window, dict(type='PackEventSeg')]
dataset = dict(type='EventSegFolder', data_root='data/samples/events', points=1)
train_dataloader = dict(batch_size=4, num_workers=2, persistent_workers=False,
                        dataset=dict(dataset, split='train', pipeline=train_pipeline))
val_dataloader = dict(batch_size=4, num_workers=2, persistent_workers=False,
                      dataset=dict(dataset, split='val', pipeline=test_pipeline))
test_dataloader = val_dataloader

train_cfg = dict(max_epochs=30, val_interval=10)
default_hooks = dict(logger=dict(interval=6), checkpoint=dict(interval=10))
