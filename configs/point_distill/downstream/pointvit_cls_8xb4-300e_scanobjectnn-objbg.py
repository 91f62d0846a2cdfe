# ScanObjectNN OBJ_BG (objects with background, no perturbation): as the PB_T50_RS config,
# on `python tools/data/scanobjectnn_to_folder.py data/scanobjectnn/main_split
# --variant objectdataset --out data/scanobjectnn/obj_bg`.
_base_ = ['./pointvit_cls_8xb4-300e_scanobjectnn.py']
train_dataloader = dict(dataset=dict(data_root='data/scanobjectnn/obj_bg'))
val_dataloader = dict(dataset=dict(data_root='data/scanobjectnn/obj_bg'))
test_dataloader = val_dataloader
