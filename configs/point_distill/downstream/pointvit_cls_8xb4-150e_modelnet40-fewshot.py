# Few-shot ModelNet40 (N-way K-shot; default 5-way 10-shot, fold 0) from the converted
# distillation weights: the fine-tuned classifier of pointvit_cls_8xb4-300e_modelnet40.py
# trained on one episode's N x K support objects and tested on its N x 20 query objects.
# Episodes: `python tools/data/modelnet_fewshot.py data/modelnet40_normal_resampled`.
# Other settings and folds: --cfg-options model.head.num_classes=10 and
#   {train,val,test}_dataloader.dataset.episode=fewshot/10way20shot/3.json;
# tools/analysis/point_fewshot.py runs every fold of each setting and prints mean ± std.
# 150 epochs, AdamW 5e-4, cosine after 10 warm-up epochs, batch 32: our reading of
# Point-BERT's few-shot fine-tuning (unverified); the last epoch is reported, not the best.
_base_ = ['./pointvit_cls_8xb4-300e_modelnet40_pretrained.py']
max_epochs = 150
episode = 'fewshot/5way10shot/0.json'
model = dict(head=dict(num_classes=5))
train_dataloader = dict(drop_last=False, dataset=dict(episode=episode))
val_dataloader = dict(dataset=dict(episode=episode))
test_dataloader = val_dataloader
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0, end=10,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 10, eta_min=1e-6, by_epoch=True,
         begin=10, end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(max_epochs=max_epochs)
