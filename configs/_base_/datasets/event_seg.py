# Event segmentation loaders (EV-WSSS): whole event tensors stacked by default_collate;
# configs set ``dataset`` (with its pipeline), batch sizes and workers.
loader = dict(batch_size=4, num_workers=2, persistent_workers=False,
              collate_fn=dict(type='default_collate'))
train_dataloader = dict(loader, sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(loader, sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
