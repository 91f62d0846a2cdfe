# ScanObjectNN OBJ_ONLY (objects without background): as the PB_T50_RS config, on
# `python tools/data/scanobjectnn_to_folder.py data/scanobjectnn/main_split_nobg
# --variant objectdataset --out data/scanobjectnn/obj_only`.
_base_ = ['./pointvit_cls_8xb4-300e_scanobjectnn.py']
train_dataloader = dict(dataset=dict(data_root='data/scanobjectnn/obj_only'))
val_dataloader = dict(dataset=dict(data_root='data/scanobjectnn/obj_only'))
test_dataloader = val_dataloader
