# Semi-supervised change detection data (UniMatch / SemiCD split layout):
#   <data_root>/{A,B,label}/<id>.png, splits/<ratio>%/{labeled,unlabeled}.txt,
#   splits/{val,test}.txt, gen_cd_label/ and gen_seg_label/{A,B}/ (vision-language pseudo
#   labels, tools/data/make_change_pseudo_labels.py). Ground truth: 0 / 255 PNGs.
data_root = 'data/levir_cd'
ratio = '5%'
crop_size = 256
pseudo = ('vl_change', 'vl_seg_a', 'vl_seg_b')
pseudo_prefix = dict(vl_change='gen_cd_label', vl_seg_a='gen_seg_label/A',
                     vl_seg_b='gen_seg_label/B')
geometry = dict(type='RandomRescaleCropFlip', crop_size=crop_size, ratio_range=(0.8, 1.2),
                flip_prob=0.5)
pair = dict(type='BitemporalChangeDataset', data_root=data_root, change_value=255,
            pseudo_prefix=pseudo_prefix)
train_dataloader = dict(
    batch_size=8, num_workers=4, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(
        type='SemiSupervisedPairs',
        labeled=dict(pair, ann_file=f'splits/{ratio}/labeled.txt', pipeline=[
            dict(type='LoadChangePair', with_label=True, pseudo_labels=pseudo), geometry,
            dict(type='PackChangeInputs')]),
        unlabeled=dict(pair, ann_file=f'splits/{ratio}/unlabeled.txt', pipeline=[
            dict(type='LoadChangePair', with_label=False, pseudo_labels=pseudo), geometry,
            dict(type='PackChangeInputs')])))
test_pipeline = [dict(type='LoadChangePair', with_label=True), dict(type='PackChangeInputs')]
val_dataloader = dict(
    batch_size=1, num_workers=2, persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(pair, ann_file='splits/val.txt', pipeline=test_pipeline))
test_dataloader = dict(val_dataloader,
                       dataset=dict(pair, ann_file='splits/test.txt', pipeline=test_pipeline))
val_evaluator = dict(type='ChangeMetric')
test_evaluator = val_evaluator
