"""``objects/``: a generated object set in the ModelNet40 folder layout
(``<class>/<class>_NNNN.npy``, ``objects_shape_names.txt``, ``objects_{train,test}.txt``):
ten classes of open3d mesh primitives (box, sphere, cylinder, cone, torus, arrow,
icosahedron, octahedron, tetrahedron, Moebius strip) under random per-axis scaling,
tapering, bending and rotation about the up axis (y), plus ``scan_patch``: deformed
ball-shaped patches of the real stereo point cloud (``pointcloud.py``)."""
import os
import os.path as osp

import numpy as np
from tqdm import tqdm

from .pointcloud import motorcycle_points


OBJECT_CLASSES = ('box', 'sphere', 'cylinder', 'cone', 'torus', 'arrow', 'icosahedron',
                  'octahedron', 'tetrahedron', 'mobius', 'scan_patch')


def _primitive(name: str):
    import open3d as o3d
    make = dict(box=lambda: o3d.geometry.TriangleMesh.create_box(1, 1, 1),
                sphere=lambda: o3d.geometry.TriangleMesh.create_sphere(0.5),
                cylinder=lambda: o3d.geometry.TriangleMesh.create_cylinder(0.4, 1.2),
                cone=lambda: o3d.geometry.TriangleMesh.create_cone(0.5, 1.2),
                torus=lambda: o3d.geometry.TriangleMesh.create_torus(0.5, 0.15),
                arrow=lambda: o3d.geometry.TriangleMesh.create_arrow(0.1, 0.2, 0.8, 0.4),
                icosahedron=lambda: o3d.geometry.TriangleMesh.create_icosahedron(0.5),
                octahedron=lambda: o3d.geometry.TriangleMesh.create_octahedron(0.5),
                tetrahedron=lambda: o3d.geometry.TriangleMesh.create_tetrahedron(0.5),
                mobius=lambda: o3d.geometry.TriangleMesh.create_mobius(width=0.4))
    return make[name]()


def deform_object(xyz: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Random per-axis scale, taper and bend along y (up), rotation about y, noise."""
    xyz = (xyz - xyz.mean(0)) / np.abs(xyz - xyz.mean(0)).max()
    xyz = xyz * rng.uniform(0.6, 1.4, 3)
    taper = 1 + rng.uniform(-0.3, 0.3) * xyz[:, 1:2]
    xyz[:, [0, 2]] *= taper
    xyz[:, 0] += rng.uniform(-0.3, 0.3) * xyz[:, 1] ** 2
    angle = rng.uniform(0, 2 * np.pi)
    c, s = np.cos(angle), np.sin(angle)
    xyz[:, 0], xyz[:, 2] = c * xyz[:, 0] - s * xyz[:, 2], s * xyz[:, 0] + c * xyz[:, 2]
    return xyz + rng.normal(0, 0.005, xyz.shape)


def object_points(name: str, rng: np.random.Generator, scan: np.ndarray,
                  num_points: int = 2048) -> np.ndarray:
    if name == 'scan_patch':  # the points of the real cloud nearest to a random seed
        seed = scan[rng.integers(len(scan))]
        xyz = scan[np.argsort(((scan - seed) ** 2).sum(1))[:num_points]]
    else:
        import open3d as o3d
        o3d.utility.random.seed(int(rng.integers(2 ** 31)))
        xyz = np.asarray(_primitive(name).sample_points_uniformly(num_points).points)
        if name not in ('sphere', 'torus', 'mobius'):  # open3d's z-up primitives -> y-up
            xyz = xyz[:, [0, 2, 1]] * np.array([1, 1, -1])
    return deform_object(xyz.astype(np.float64), rng).astype(np.float32)


def write_objects(out: str, num_train: int = 24, num_test: int = 8, seed: int = 0) -> int:
    rng = np.random.default_rng(seed)
    scan = motorcycle_points(stride=4)[:, :3].astype(np.float64)
    splits = {'train': [], 'test': []}
    for name in tqdm(OBJECT_CLASSES, desc='objects'):
        os.makedirs(osp.join(out, name), exist_ok=True)
        for k in range(num_train + num_test):
            stem = f'{name}_{k + 1:04d}'
            np.save(osp.join(out, name, stem + '.npy'), object_points(name, rng, scan))
            splits['train' if k < num_train else 'test'].append(stem)
    for split, names in splits.items():
        with open(osp.join(out, f'objects_{split}.txt'), 'w') as f:
            f.write('\n'.join(names) + '\n')
    with open(osp.join(out, 'objects_shape_names.txt'), 'w') as f:
        f.write('\n'.join(OBJECT_CLASSES) + '\n')
    return len(splits['train']) + len(splits['test'])
