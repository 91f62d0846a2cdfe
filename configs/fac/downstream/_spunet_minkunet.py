# Shared by the paper-scale 3D segmentation transfer configs: mmdet3d's MinkUNet segmentor
# with the suite's SpUNet-v1m1 and MinkUNetHead, CPU/CUDA voxelisation, SGD + cosine.
# (custom_imports come from the child config: bases may not repeat a key)
model = dict(
    type='MinkUNet',
    data_preprocessor=dict(
        type='SparseSegDataPreprocessor', voxel=True, voxel_type='minkunet', batch_first=True,
        voxel_layer=dict(max_num_points=-1, voxel_size=[0.02, 0.02, 0.02],
                         point_cloud_range=[-100, -100, -20, 100, 100, 20], max_voxels=(-1, -1))),
    backbone=dict(type='SpUNet', in_channels=6),
    decode_head=dict(type='MinkUNetHead', channels=96, num_classes=20, dropout_ratio=0,
                     loss_decode=dict(type='mmdet.CrossEntropyLoss', avg_non_ignore=True)),
    train_cfg=dict(),
    test_cfg=dict())
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4))
