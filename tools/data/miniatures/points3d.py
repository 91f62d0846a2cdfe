"""3-D datasets in their official layouts, made from the generated objects and scenes of the
bundled samples (shapes and labels exact; they test the path, not learning).

ModelNet40 (``modelnet40_normal_resampled.zip``)::

    modelnet40_normal_resampled/<class>/<class>_<4 digits>.txt   10000 rows "x,y,z,nx,ny,nz"
    modelnet40_normal_resampled/modelnet40_shape_names.txt, modelnet40_{train,test}.txt

ScanObjectNN (``h5_files.zip``): ``main_split/{training,test}_objectdataset.h5`` (OBJ_BG),
``..._objectdataset_augmentedrot_scale75.h5`` (PB_T50_RS) and
``main_split_nobg/{training,test}_objectdataset.h5`` (OBJ_ONLY), each with ``data``
(N, 2048, 3) float32 and ``label`` (N, ) over the 15 classes.

ShapeNet-55 (Point-BERT's ``ShapeNet55-34`` release)::

    ShapeNet55-34/shapenet_pc/<synset>-<model id>.npy    (8192, 3) float32
    ShapeNet55-34/ShapeNet-55/{train,test}.txt           one file name a line

SemanticKITTI (``data_odometry_velodyne.zip`` + ``data_odometry_labels.zip``)::

    semantickitti/sequences/<2 digits>/velodyne/<6 digits>.bin   float32 x, y, z, remission
    semantickitti/sequences/<2 digits>/labels/<6 digits>.label   uint32: instance << 16 | class
    semantickitti/sequences/<2 digits>/{calib.txt, poses.txt, times.txt}

then taken through mmdet3d's own converter (``tools/create_data.py semantickitti`` from the
mmdet3d wheel, run by ``tools/data/mmdet3d_create_data.py``), whose info files list every
frame of the full dataset: the miniature keeps the listed frames whose files it has.
"""
import os
import os.path as osp
import pickle

import numpy as np

from ..samples.objects import object_points
from ..samples.pointcloud import motorcycle_points
from ..samples.scenes import synthetic_scene

MODELNET40 = (
    'airplane', 'bathtub', 'bed', 'bench', 'bookshelf', 'bottle', 'bowl', 'car', 'chair',
    'cone', 'cup', 'curtain', 'desk', 'door', 'dresser', 'flower_pot', 'glass_box', 'guitar',
    'keyboard', 'lamp', 'laptop', 'mantel', 'monitor', 'night_stand', 'person', 'piano',
    'plant', 'radio', 'range_hood', 'sink', 'sofa', 'stairs', 'stool', 'table', 'tent',
    'toilet', 'tv_stand', 'vase', 'wardrobe', 'xbox')
# the miniature's classes and the generated shape standing in for each
SHAPES = {'airplane': 'arrow', 'bowl': 'sphere', 'cone': 'cone', 'table': 'box'}


def _normals(xyz: np.ndarray) -> np.ndarray:
    import open3d as o3d
    cloud = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(xyz.astype(np.float64)))
    cloud.estimate_normals(o3d.geometry.KDTreeSearchParamKNN(16))
    return np.asarray(cloud.normals, np.float32)


def write_modelnet40(root: str, seed: int = 0, per_class=(3, 1)) -> str:
    rng = np.random.default_rng(seed)
    scan = motorcycle_points(stride=8)[:, :3].astype(np.float64)
    splits = {'train': [], 'test': []}
    for cls, shape in SHAPES.items():
        os.makedirs(osp.join(root, cls), exist_ok=True)
        for k in range(sum(per_class)):
            name = f'{cls}_{k + 1:04d}'
            xyz = object_points(shape, rng, scan, num_points=10000)
            rows = np.concatenate([xyz, _normals(xyz)], 1)
            np.savetxt(osp.join(root, cls, name + '.txt'), rows, fmt='%.6f', delimiter=',')
            splits['train' if k < per_class[0] else 'test'].append(name)
    for split, names in splits.items():
        with open(osp.join(root, f'modelnet40_{split}.txt'), 'w') as f:
            f.write(''.join(f'{n}\n' for n in names))
    with open(osp.join(root, 'modelnet40_shape_names.txt'), 'w') as f:
        f.write(''.join(f'{c}\n' for c in MODELNET40))
    return (f'{len(splits["train"])} train + {len(splits["test"])} test objects, '
            f'{len(SHAPES)} classes')


def write_scanobjectnn(root: str, seed: int = 0, per_class=(2, 1)) -> str:
    import h5py
    rng = np.random.default_rng(seed)
    scan = motorcycle_points(stride=8)[:, :3].astype(np.float64)
    shapes = ('box', 'cylinder', 'sphere', 'cone', 'torus')  # classes 0..4 (bag .. cabinet)
    files = {('main_split', 'objectdataset'), ('main_split', 'objectdataset_augmentedrot_scale75'),
             ('main_split_nobg', 'objectdataset')}
    for folder, variant in sorted(files):
        os.makedirs(osp.join(root, folder), exist_ok=True)
        for split, count in (('training', per_class[0]), ('test', per_class[1])):
            data, label = [], []
            for cls, shape in enumerate(shapes):
                for _ in range(count):
                    xyz = object_points(shape, rng, scan)
                    if folder == 'main_split':  # with background: a patch of the scan
                        patch = scan[rng.choice(len(scan), 256)]
                        patch = (patch - patch.mean(0)) / np.abs(patch).max() * 1.5
                        xyz = np.concatenate([xyz[:2048 - 256], patch.astype(np.float32)])
                    data.append(xyz)
                    label.append(cls)
            with h5py.File(osp.join(root, folder, f'{split}_{variant}.h5'), 'w') as f:
                f.create_dataset('data', data=np.stack(data).astype(np.float32))
                f.create_dataset('label', data=np.array(label, np.int64))
    return f'{len(files)} variants, {len(shapes)} classes, {sum(per_class)} objects per class'


# ShapeNet synsets (airplane, chair, table, lamp) and the generated shapes standing in
SHAPENET = {'02691156': 'arrow', '03001627': 'box', '04379243': 'cylinder', '03636649': 'cone'}


def write_shapenet55(root: str, seed: int = 0, per_synset=(3, 1)) -> str:
    rng = np.random.default_rng(seed)
    scan = motorcycle_points(stride=8)[:, :3].astype(np.float64)
    os.makedirs(osp.join(root, 'shapenet_pc'), exist_ok=True)
    os.makedirs(osp.join(root, 'ShapeNet-55'), exist_ok=True)
    splits = {'train': [], 'test': []}
    for synset, shape in SHAPENET.items():
        for k in range(sum(per_synset)):
            name = f'{synset}-{rng.integers(16 ** 12):012x}{k}.npy'
            np.save(osp.join(root, 'shapenet_pc', name),
                    object_points(shape, rng, scan, num_points=8192))
            splits['train' if k < per_synset[0] else 'test'].append(name)
    for split, names in splits.items():
        with open(osp.join(root, 'ShapeNet-55', f'{split}.txt'), 'w') as f:
            f.write(''.join(f'{n}\n' for n in names))
    return f'{len(splits["train"])} train + {len(splits["test"])} test shapes'


# SemanticKITTI raw label ids of the scene classes (road, car, vegetation)
KITTI_IDS = np.array([40, 10, 70], np.uint32)
KITTI_SEQUENCES = {'00': 2, '08': 1}  # train, val (mmdet3d's folds)


def write_semantickitti(root: str, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    for seq, count in KITTI_SEQUENCES.items():
        base = osp.join(root, 'sequences', seq)
        for sub in ('velodyne', 'labels'):
            os.makedirs(osp.join(base, sub), exist_ok=True)
        for k in range(count):
            points, labels = synthetic_scene(rng)
            points[:, :2] *= 3  # a 48 m square around the sensor
            points[:, 2] -= 1.7  # sensor height
            points.astype(np.float32).tofile(osp.join(base, 'velodyne', f'{k:06d}.bin'))
            instance = np.arange(len(labels), dtype=np.uint32) // 500 + 1
            ((instance << 16) | KITTI_IDS[labels]).astype(np.uint32).tofile(
                osp.join(base, 'labels', f'{k:06d}.label'))
        with open(osp.join(base, 'calib.txt'), 'w') as f:
            for name in ('P0', 'P1', 'P2', 'P3', 'Tr'):
                f.write(f'{name}: 1 0 0 0 0 1 0 0 0 0 1 0\n')  # identity projections
        np.savetxt(osp.join(base, 'poses.txt'), np.tile(np.eye(4)[:3].ravel(), (count, 1)),
                   fmt='%.6e')
        np.savetxt(osp.join(base, 'times.txt'), np.arange(count) * 0.1, fmt='%.6e')
    convert_semantickitti(root)
    return f'sequences {", ".join(KITTI_SEQUENCES)}: {sum(KITTI_SEQUENCES.values())} scans'


def convert_semantickitti(root: str) -> None:
    """mmdet3d's converter (``tools/data/mmdet3d_create_data.py``), then the listed frames
    that exist here."""
    from ..mmdet3d_create_data import create_data
    create_data(['semantickitti', '--root-path', root, '--out-dir', root, '--extra-tag',
                 'semantickitti'])
    for split in ('train', 'val', 'test'):
        path = osp.join(root, f'semantickitti_infos_{split}.pkl')
        with open(path, 'rb') as f:
            infos = pickle.load(f)
        infos['data_list'] = [
            d for d in infos['data_list']
            if osp.isfile(osp.join(root, d['lidar_points']['lidar_path']))]
        with open(path, 'wb') as f:
            pickle.dump(infos, f)
