# Shared by the mmseg/mmdet transfer configs: where the converted PixPro ResNet-50 weights are
# (tools/convert_checkpoint.py output) and the plain-stem ResNet-50 that loads them.
custom_imports = dict(imports=['projects.common'], allow_failed_imports=False)
pretrained_backbone = 'work_dirs/pixpro_r50_8xb128-coslr-400e_in1k/backbone.pth'
pixpro_backbone_init = dict(type='Pretrained', checkpoint=pretrained_backbone)
