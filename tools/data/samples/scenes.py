"""``scenes/``: generated (not real) labelled 3D scenes in mmdet3d's Seg3DDataset layout: a
noisy ground plane (class 0), boxes (1) and cylinders (2) with random sizes and poses:
``points/{train,val}/*.bin`` (x, y, z, intensity), uint8 ``semantic_mask/{train,val}/*.bin``
and ``scenes_infos_{train,val}.pkl``. They exist because no labelled point cloud ships with
any package."""
import os
import os.path as osp

import numpy as np
from tqdm import tqdm


SCENE_CLASSES = ('ground', 'box', 'cylinder')


def synthetic_scene(rng: np.random.Generator, num_objects: int = 6):
    """(N, 4) float32 points (x, y, z, intensity) and (N,) uint8 labels of one scene."""
    n_ground = 4000
    xy = rng.uniform(-8, 8, (n_ground, 2))
    parts = [np.c_[xy, rng.normal(0, 0.02, n_ground), rng.uniform(0.1, 0.3, n_ground)]]
    labels = [np.zeros(n_ground, np.uint8)]
    for _ in range(num_objects):
        centre = rng.uniform(-6, 6, 2)
        height = rng.uniform(0.5, 2.0)
        n = int(rng.integers(300, 800))
        if rng.random() < 0.5:  # box: points on its four sides and top
            half = rng.uniform(0.3, 1.0, 2)
            local = rng.uniform(-1, 1, (n, 3)) * np.r_[half, height / 2]
            side = rng.integers(0, 3, n)
            local[side == 0, 0] = np.sign(local[side == 0, 0]) * half[0]
            local[side == 1, 1] = np.sign(local[side == 1, 1]) * half[1]
            local[side == 2, 2] = height / 2
            local[:, 2] += height / 2
            label = 1
        else:  # cylinder: points on its mantle
            radius = rng.uniform(0.2, 0.6)
            angle = rng.uniform(0, 2 * np.pi, n)
            local = np.c_[radius * np.cos(angle), radius * np.sin(angle),
                          rng.uniform(0, height, n)]
            label = 2
        yaw = rng.uniform(0, 2 * np.pi)
        rot = np.array([[np.cos(yaw), -np.sin(yaw)], [np.sin(yaw), np.cos(yaw)]])
        xyz = np.c_[local[:, :2] @ rot.T + centre, local[:, 2]] + rng.normal(0, 0.01, (n, 3))
        parts.append(np.c_[xyz, rng.uniform(0.4, 0.9, n)])
        labels.append(np.full(n, label, np.uint8))
    return np.concatenate(parts).astype(np.float32), np.concatenate(labels)


def write_scenes(out: str, num_train: int = 16, num_val: int = 4, seed: int = 0) -> None:
    import pickle
    rng = np.random.default_rng(seed)
    for sub in ('points', 'semantic_mask'):
        for split in ('train', 'val'):  # split folders: pretraining reads points/train only
            os.makedirs(osp.join(out, sub, split), exist_ok=True)
    metainfo = dict(classes=SCENE_CLASSES, seg_label_mapping={0: 0, 1: 1, 2: 2})
    for split, count, offset in (('train', num_train, 0), ('val', num_val, num_train)):
        data_list = []
        for k in tqdm(range(offset, offset + count), desc=f'scenes/{split}'):
            points, labels = synthetic_scene(rng)
            name = f'{split}/scene_{k:03d}.bin'
            points.tofile(osp.join(out, 'points', name))
            labels.tofile(osp.join(out, 'semantic_mask', name))
            data_list.append(dict(sample_idx=k, pts_semantic_mask_path=name,
                                  lidar_points=dict(num_pts_feats=4, lidar_path=name)))
        with open(osp.join(out, f'scenes_infos_{split}.pkl'), 'wb') as f:
            pickle.dump(dict(metainfo=metainfo, data_list=data_list), f)
