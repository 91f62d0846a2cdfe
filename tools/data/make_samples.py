"""Build the bundled sample data from real data that installed packages carry.

Nothing can be downloaded, so the samples come from scikit-image's real photographs:

* ``images/``: real colour and grey photographs, as RGB PNGs (unlabelled pretraining).
* ``textures/``: a composite segmentation set. Each image is a random Voronoi partition of
  a 128x128 canvas; every cell is filled with a patch of one real texture photograph
  (brick, grass, gravel, moon surface) and labelled with that texture. Train images take
  patches from the left 60% of each photograph, val images from the right 40%, so no
  pixel is shared between the splits.
* ``scenes/``: generated (not real) labelled 3D scenes in mmdet3d's Seg3DDataset layout:
  a noisy ground plane (class 0), boxes (1) and cylinders (2) with random sizes and
  poses: ``points/{train,val}/*.bin`` (x, y, z, intensity), uint8 ``semantic_mask/{train,val}/*.bin``
  and ``scenes_infos_{train,val}.pkl``.
  They exist because no labelled point cloud ships with any package.
* ``events/``: simulated event-camera sequences: a virtual 64x48 camera sweeps (0.2 s,
  150-300 px/s, slight rotation) over a texture composite (the textures below, train and
  val from disjoint halves of each photograph); ``projects.common.events.simulator`` emits
  events from log-intensity changes; the texture label map at the label time (0.1 s) is the
  dense ground truth, ``points_1.png`` one seeded click per present class.
* ``objects/``: a generated object set in the ModelNet40 folder layout
  (``<class>/<class>_NNNN.npy``, ``objects_shape_names.txt``, ``objects_{train,test}.txt``):
  ten classes of open3d mesh primitives (box, sphere, cylinder, cone, torus, arrow,
  icosahedron, octahedron, tetrahedron, Moebius strip) under random per-axis scaling,
  tapering, bending and rotation about the up axis (y), plus ``scan_patch``: deformed
  ball-shaped patches of the real stereo point cloud below.
* ``pointclouds/motorcycle.{ply,npy,bin}``: a real coloured point cloud from the
  Middlebury 2014 "Motorcycle" stereo pair with its ground-truth disparity
  (``skimage.data.stereo_motorcycle()``), back-projected with the camera model below.

Camera model (Middlebury 2014 calib.txt of Motorcycle, scaled by the factor between the
full-resolution width 2964 and the width of the packaged image):
``f = 3979.911 s``, ``cx = 1244.772 s``, ``cy = 1019.507 s``, ``doffs = 124.343 s``,
``baseline = 193.001 mm``; depth ``Z = baseline * f / (d + doffs)``, ``X = (u - cx) Z / f``,
``Y = (v - cy) Z / f`` in metres (camera frame: x right, y down, z forward).

Usage: python tools/data/make_samples.py [--out data/samples] [--num-train 48 --num-val 16]
"""
import argparse
import json
import os
import os.path as osp
import sys

import numpy as np
from tqdm import tqdm

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

# The texture photographs (brick, grass, gravel, moon) are kept out of images/: they are
# the source of the texture segmentation set, whose val split must stay unseen.
PHOTOS = ['astronaut', 'chelsea', 'coffee', 'rocket', 'camera', 'coins',
          'immunohistochemistry', 'hubble_deep_field', 'page', 'text', 'clock']
TEXTURES = ['brick', 'grass', 'gravel', 'moon']
MIDDLEBURY_MOTORCYCLE = dict(width=2964, f=3979.911, cx=1244.772, cy=1019.507,
                             doffs=124.343, baseline_m=0.193001)


def _rgb(img: np.ndarray) -> np.ndarray:
    from skimage import img_as_ubyte
    img = img_as_ubyte(img)
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    return img[..., :3]


def write_photos(out: str) -> list:
    from skimage import data, io
    os.makedirs(out, exist_ok=True)
    written = []
    for name in tqdm(PHOTOS, desc='photographs'):
        try:
            img = _rgb(getattr(data, name)())
        except Exception as err:  # an image needing a download is skipped, not faked
            print(f'skip {name}: {err}')
            continue
        io.imsave(osp.join(out, f'{name}.png'), img, check_contrast=False)
        written.append(name)
    left, right, _ = data.stereo_motorcycle()
    for side, img in (('left', left), ('right', right)):
        io.imsave(osp.join(out, f'motorcycle_{side}.png'), _rgb(img), check_contrast=False)
        written.append(f'motorcycle_{side}')
    return written


def voronoi_labels(rng: np.random.Generator, size: int, num_classes: int) -> np.ndarray:
    """Random partition of a size x size canvas into 2-5 cells, each given a class."""
    num_cells = rng.integers(2, 6)
    seeds = rng.uniform(0, size, (num_cells, 2))
    yy, xx = np.mgrid[:size, :size]
    dist = (yy[..., None] - seeds[:, 0]) ** 2 + (xx[..., None] - seeds[:, 1]) ** 2
    cell = dist.argmin(-1)
    cell_class = rng.integers(0, num_classes, num_cells)
    return cell_class[cell].astype(np.uint8)


def texture_sources(split: str) -> dict:
    """The texture photographs at a similar scale; train: left 60 %, val: right 40 %."""
    from skimage import data, transform
    sources = {}
    for name in TEXTURES:
        img = _rgb(getattr(data, name)())
        if min(img.shape[:2]) > 384:  # bring textures to a similar scale
            img = (transform.rescale(img, 384 / min(img.shape[:2]), channel_axis=2,
                                     anti_aliasing=True) * 255).astype(np.uint8)
        cut = int(img.shape[1] * 0.6)
        sources[name] = img[:, :cut] if split == 'train' else img[:, cut:]
    return sources


def texture_composite(rng: np.random.Generator, sources: dict, size: int):
    """(size, size, 3) canvas of texture patches on a random Voronoi partition + labels."""
    label = voronoi_labels(rng, size, len(TEXTURES))
    canvas = np.zeros((size, size, 3), np.uint8)
    for c, name in enumerate(TEXTURES):
        src = sources[name]
        top = rng.integers(0, src.shape[0] - size + 1)
        left = rng.integers(0, src.shape[1] - size + 1)
        patch = src[top:top + size, left:left + size]
        canvas[label == c] = patch[label == c]
    return canvas, label


def write_textures(out: str, num_train: int, num_val: int, size: int = 128,
                   seed: int = 0) -> dict:
    from skimage import io
    rng = np.random.default_rng(seed)
    for split, count in (('train', num_train), ('val', num_val)):
        sources = texture_sources(split)
        os.makedirs(osp.join(out, 'img_dir', split), exist_ok=True)
        os.makedirs(osp.join(out, 'ann_dir', split), exist_ok=True)
        for k in tqdm(range(count), desc=f'textures/{split}'):
            canvas, label = texture_composite(rng, sources, size)
            io.imsave(osp.join(out, 'img_dir', split, f'{k:04d}.png'), canvas,
                      check_contrast=False)
            io.imsave(osp.join(out, 'ann_dir', split, f'{k:04d}.png'), label,
                      check_contrast=False)
    meta = dict(classes=TEXTURES, size=size, seed=seed, num_train=num_train, num_val=num_val)
    with open(osp.join(out, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=2)
    return meta


EVENT_VIEW = dict(height=48, width=64, canvas=144, frame_us=2000, num_frames=101,
                  label_frame=50, threshold=0.15, refractory_us=1000, noise_rate_hz=0.5)


def event_sequence(rng: np.random.Generator, sources: dict, seed: int) -> dict:
    """A camera sweeping over a texture composite: events, and labels at the label time."""
    from projects.common.events.simulator import render_views, simulate_events
    cfg = EVENT_VIEW
    canvas, label = texture_composite(rng, sources, cfg['canvas'])
    n = cfg['num_frames']
    speed = rng.uniform(150, 300) * cfg['frame_us'] * 1e-6  # px a frame
    heading = rng.uniform(0, 2 * np.pi)
    start = rng.uniform(50, cfg['canvas'] - 50, 2) - np.array(
        [np.cos(heading), np.sin(heading)]) * speed * n / 2
    spin = rng.uniform(-0.5, 0.5) * cfg['frame_us'] * 1e-6  # rad a frame
    poses = [(start[0] + k * speed * np.cos(heading), start[1] + k * speed * np.sin(heading),
              k * spin, 1.0) for k in range(n)]
    frames, maps = render_views(canvas, poses, cfg['height'], cfg['width'], labels=label)
    times = np.arange(n, dtype=np.int64) * cfg['frame_us']
    events = simulate_events(frames, times, threshold=cfg['threshold'], threshold_std=0.05,
                             refractory_us=cfg['refractory_us'],
                             noise_rate_hz=cfg['noise_rate_hz'], seed=seed)
    return dict(events=events, label=maps[cfg['label_frame']].astype(np.uint8),
                t_label=int(times[cfg['label_frame']]), frame=frames[cfg['label_frame']])


def write_event_sequences(out: str, num_train: int = 24, num_val: int = 8,
                          seed: int = 0) -> None:
    from skimage import io

    from projects.common.events import sample_point_labels, save_events
    rng = np.random.default_rng(seed)
    for split, count, offset in (('train', num_train, 0), ('val', num_val, num_train)):
        sources = texture_sources(split)
        for k in tqdm(range(offset, offset + count), desc=f'events/{split}'):
            seq = event_sequence(rng, sources, seed=k)
            folder = osp.join(out, split, f'seq_{k:03d}')
            os.makedirs(folder, exist_ok=True)
            save_events(osp.join(folder, 'events.npz'), seq['events'])
            io.imsave(osp.join(folder, 'label.png'), seq['label'], check_contrast=False)
            io.imsave(osp.join(folder, 'points_1.png'),
                      sample_point_labels(seq['label'], k=1, seed=k), check_contrast=False)
            io.imsave(osp.join(folder, 'frame.png'), (seq['frame'] * 255).astype(np.uint8),
                      check_contrast=False)
            meta = dict(t_label=seq['t_label'], height=EVENT_VIEW['height'],
                        width=EVENT_VIEW['width'], num_events=len(seq['events']),
                        classes=TEXTURES)
            with open(osp.join(folder, 'meta.json'), 'w') as f:
                json.dump(meta, f, indent=1)


def motorcycle_camera(width: int) -> dict:
    """f, cx, cy, doffs (pixels) of the Middlebury camera for an image ``width`` wide."""
    s = width / MIDDLEBURY_MOTORCYCLE['width']
    return {k: MIDDLEBURY_MOTORCYCLE[k] * s for k in ('f', 'cx', 'cy', 'doffs')}


def motorcycle_points(stride: int = 2) -> np.ndarray:
    """(N, 6) float32 xyz (m) + rgb (0-1) from the Middlebury pair and its disparity."""
    from skimage import data
    left, _, disp = data.stereo_motorcycle()
    cam = motorcycle_camera(left.shape[1])
    f, cx, cy = cam['f'], cam['cx'], cam['cy']
    v, u = np.mgrid[0:disp.shape[0]:stride, 0:disp.shape[1]:stride]
    d = disp[v, u].astype(np.float64)
    valid = np.isfinite(d) & (d > 0)
    z = MIDDLEBURY_MOTORCYCLE['baseline_m'] * f / (d[valid] + cam['doffs'])
    x = (u[valid] - cx) * z / f
    y = (v[valid] - cy) * z / f
    rgb = left[v[valid], u[valid], :3].astype(np.float64) / 255.0
    return np.concatenate([np.stack([x, y, z], 1), rgb], 1).astype(np.float32)


def write_motorcycle_frames(out: str) -> None:
    """``motorcycle_frames.json``: the left image is a posed frame of the cloud (camera at
    the origin). Pixel (u, v) was back-projected from its index, and the suite's projection
    floors, so the principal point is shifted by half a pixel."""
    from skimage import data
    cam = motorcycle_camera(data.stereo_motorcycle()[0].shape[1])
    intrinsic = [[cam['f'], 0.0, cam['cx'] + 0.5], [0.0, cam['f'], cam['cy'] + 0.5],
                 [0.0, 0.0, 1.0]]
    frames = [dict(img_path='../images/motorcycle_left.png', intrinsic=intrinsic,
                   extrinsic=np.eye(4).tolist())]
    with open(osp.join(out, 'motorcycle_frames.json'), 'w') as f:
        json.dump(frames, f, indent=1)


def write_pointcloud(out: str) -> int:
    import open3d as o3d
    os.makedirs(out, exist_ok=True)
    points = motorcycle_points()
    np.save(osp.join(out, 'motorcycle.npy'), points)
    intensity = points[:, 3:6].mean(1, keepdims=True)  # KITTI-style x, y, z, intensity
    np.concatenate([points[:, :3], intensity], 1).astype(np.float32).tofile(
        osp.join(out, 'motorcycle.bin'))
    pcd = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(points[:, :3].astype(np.float64)))
    pcd.colors = o3d.utility.Vector3dVector(points[:, 3:6].astype(np.float64))
    o3d.io.write_point_cloud(osp.join(out, 'motorcycle.ply'), pcd)
    write_motorcycle_frames(out)
    return len(points)


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


def write_bev_scenes(out: str) -> int:
    from tools.data.bev_scenes import write_bev_scenes as write
    return write(out)


def write_change_samples(out: str) -> int:
    """Bi-temporal pairs (tools/data/change_pairs.py) and their pseudo labels."""
    import subprocess

    from tools.data.change_pairs import write_change_pairs
    num = write_change_pairs(out)
    subprocess.run([sys.executable, osp.join(osp.dirname(osp.abspath(__file__)),
                                             'make_change_pseudo_labels.py'), out], check=True)
    return num


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default='data/samples')
    parser.add_argument('--num-train', type=int, default=48)
    parser.add_argument('--num-val', type=int, default=16)
    args = parser.parse_args()
    photos = write_photos(osp.join(args.out, 'images'))
    write_textures(osp.join(args.out, 'textures'), args.num_train, args.num_val)
    write_scenes(osp.join(args.out, 'scenes'))
    num_objects = write_objects(osp.join(args.out, 'objects'))
    write_event_sequences(osp.join(args.out, 'events'))
    n = write_pointcloud(osp.join(args.out, 'pointclouds'))
    num_pairs = write_change_samples(osp.join(args.out, 'change'))
    num_scenes = write_bev_scenes(osp.join(args.out, 'bev'))  # last: tests look for it
    print(f'wrote {len(photos)} photographs, {args.num_train}+{args.num_val} texture '
          f'composites, 16+4 generated 3D scenes, {num_objects} generated objects, 24+8 '
          f'simulated event sequences, a {n}-point cloud, {num_pairs} change pairs and '
          f'{num_scenes} multi-camera scenes under {args.out}')


if __name__ == '__main__':
    main()
