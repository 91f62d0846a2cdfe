"""Generated multi-camera driving scenes in nuScenes' format (PDBEV demo and tests).

Each scene: a ground plane 1.8 m below the LiDAR with a road (one straight road, sometimes
a crossing) textured with real photographs (gravel road, grass verge); cars on the road
and pedestrians beside it, as boxes textured with crops of real photographs. Six cameras
in nuScenes' arrangement and conventions (yaws 0, +-55, 180, +-110 degrees; camera x right,
y down, z forward) are ray-cast to RGB images, a 32-beam LiDAR to points (x, y, z,
intensity, ring). Written as mmdet3d's nuScenes info format (``data_list`` with
``images`` / ``lidar_points`` / ``instances``), so ``NuScenesDataset`` and mmdet3d's
loading transforms read them unchanged, plus a drivable-area raster per scene
(``bev/<token>.png`` on the BEV grid: row = y index, column = x index), and nuScenes
tables (``v1.0-mini/``: the val scenes under the names of nuScenes' mini_val split, the
train scenes under mini_train's) so that mmdet3d's ``NuScenesMetric`` and the devkit's
detection evaluation run on the generated set.
"""
import os
import os.path as osp
import pickle

import numpy as np

from .imaging import to_rgb

# label ids as mmdet3d's nuScenes converter writes them (NuScenesDataset.METAINFO order)
NUSCENES_CLASSES = ('car', 'truck', 'trailer', 'bus', 'construction_vehicle', 'bicycle',
                    'motorcycle', 'pedestrian', 'traffic_cone', 'barrier')
CAMERAS = {'CAM_FRONT': 0.0, 'CAM_FRONT_RIGHT': -55.0, 'CAM_FRONT_LEFT': 55.0,
           'CAM_BACK': 180.0, 'CAM_BACK_LEFT': 110.0, 'CAM_BACK_RIGHT': -110.0}
GROUND_Z = -1.8
BEV_VIEW = dict(image=(64, 176), fov_deg=70.0, grid=(-25.6, -25.6, -3.0, 25.6, 25.6, 1.0),
                voxel=(0.8, 0.8, 1.0))


def _textures():
    from skimage import data
    return dict(road=to_rgb(data.gravel()), grass=to_rgb(data.grass()),
                bodies=[to_rgb(getattr(data, n)()) for n in ('coffee', 'chelsea', 'astronaut',
                                                           'rocket', 'brick')])


def random_scene(rng: np.random.Generator, extent: float = 24.0):
    """Road parameters and boxes (x, y, z_centre, l, w, h, yaw, nuScenes label)."""
    road = dict(yaw=rng.uniform(-0.3, 0.3), offset=rng.uniform(-3, 3),
                width=rng.uniform(7, 11), cross=rng.random() < 0.5,
                cross_x=rng.uniform(-15, 15), cross_width=rng.uniform(6, 9))
    boxes = []
    for kind, count in (('car', rng.integers(3, 9)), ('pedestrian', rng.integers(0, 5))):
        for _ in range(count):
            for _ in range(50):
                along = rng.uniform(-extent, extent)
                if kind == 'car':
                    side = rng.uniform(-road['width'] / 2 + 1.2, road['width'] / 2 - 1.2)
                    l, w, h = rng.uniform(3.9, 4.8), rng.uniform(1.7, 2.0), rng.uniform(1.4, 1.7)
                    yaw = road['yaw'] + rng.choice([0, np.pi]) + rng.normal(0, 0.05)
                else:
                    side = rng.choice([-1, 1]) * (road['width'] / 2 + rng.uniform(0.5, 2.5))
                    l, w, h = rng.uniform(0.5, 0.8), rng.uniform(0.5, 0.8), rng.uniform(1.6, 1.9)
                    yaw = rng.uniform(-np.pi, np.pi)
                c, s = np.cos(road['yaw']), np.sin(road['yaw'])
                across = side + road['offset']
                x, y = along * c - across * s, along * s + across * c
                radius = np.hypot(l, w) / 2
                if (abs(x) < extent and abs(y) < extent and np.hypot(x, y) > 4
                        and all(np.hypot(x - b[0], y - b[1]) > radius + np.hypot(b[3], b[4]) / 2
                                + 0.3 for b in boxes)):
                    boxes.append((x, y, GROUND_Z + h / 2, l, w, h, yaw,
                                  NUSCENES_CLASSES.index(kind)))
                    break
    return road, np.array(boxes, np.float64).reshape(-1, 8)


def drivable(road: dict, x, y):
    c, s = np.cos(road['yaw']), np.sin(road['yaw'])
    along, side = x * c + y * s, -x * s + y * c - road['offset']
    out = np.abs(side) <= road['width'] / 2
    if road['cross']:
        out |= np.abs(along - road['cross_x']) <= road['cross_width'] / 2
    return out


def cast(origins, dirs, boxes):
    """Nearest hit along rays (origins (R, 3), dirs (R, 3)): parameter t (inf: none), the
    box index hit (-1: ground or nothing) and the hit face axis."""
    t = np.full(len(dirs), np.inf)
    with np.errstate(divide='ignore', invalid='ignore'):
        ground = (GROUND_Z - origins[:, 2]) / dirs[:, 2]
    t = np.where((dirs[:, 2] < 0) & (ground > 0), ground, t)
    hit, face = np.full(len(dirs), -1), np.full(len(dirs), 2)
    for i, (x, y, z, l, w, h, yaw, _) in enumerate(boxes):
        c, s = np.cos(-yaw), np.sin(-yaw)
        rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
        o = (origins - [x, y, z]) @ rot.T
        d = dirs @ rot.T
        half = np.array([l, w, h]) / 2
        with np.errstate(divide='ignore', invalid='ignore'):
            t0, t1 = (-half - o) / d, (half - o) / d
        near, far = np.minimum(t0, t1), np.maximum(t0, t1)
        t_in, t_out = np.nanmax(near, 1), np.nanmin(far, 1)
        ok = (t_in <= t_out) & (t_in > 0) & (t_in < t)
        t[ok], hit[ok], face[ok] = t_in[ok], i, np.nanargmax(near, 1)[ok]
    return t, hit, face


def render_camera(cam2img, lidar2cam, size, road, boxes, tex, rng):
    """(H, W, 3) uint8 image and (H, W) z-depth (inf: sky)."""
    h, w = size
    v, u = np.mgrid[:h, :w].astype(np.float64)
    rays_cam = np.stack([(u - cam2img[0, 2]) / cam2img[0, 0], (v - cam2img[1, 2]) / cam2img[1, 1],
                         np.ones_like(u)], -1).reshape(-1, 3)
    cam2lidar = np.linalg.inv(lidar2cam)
    dirs = rays_cam @ cam2lidar[:3, :3].T  # camera z-depth = ray parameter
    origin = np.broadcast_to(cam2lidar[:3, 3], dirs.shape)
    t, hit, face = cast(origin, dirs, boxes)
    points = origin + dirs * np.where(np.isinf(t), 0, t)[:, None]
    img = np.empty((len(t), 3))
    sky = np.isinf(t)
    img[sky] = [150, 190, 235]
    on_ground = ~sky & (hit < 0)
    gx, gy = points[on_ground, 0], points[on_ground, 1]
    road_px = drivable(road, gx, gy)
    for name, sel, tint in (('road', road_px, (0.55, 0.55, 0.6)),
                            ('grass', ~road_px, (0.55, 0.95, 0.4))):
        src = tex[name]
        r = (np.floor(gy[sel] * 12) % src.shape[0]).astype(int)
        c = (np.floor(gx[sel] * 12) % src.shape[1]).astype(int)
        idx = np.flatnonzero(on_ground)[sel]
        img[idx] = src[r, c] * np.array(tint)
    for i in np.unique(hit[hit >= 0]):
        sel = hit == i
        src = tex['bodies'][int(i) % len(tex['bodies'])]
        local = points[sel] - boxes[i, :3]
        r = (np.floor((local[:, 2] + local[:, 1]) * 60) % src.shape[0]).astype(int)
        c = (np.floor((local[:, 0] + local[:, 1]) * 60) % src.shape[1]).astype(int)
        shade = np.array([0.8, 0.65, 1.0])[face[sel]]
        img[sel] = src[r, c] * shade[:, None]
    img = np.clip(img + rng.normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    return img.reshape(h, w, 3), t.reshape(h, w)


def lidar_sweep(boxes, rng, beams: int = 32, azimuths: int = 720, max_range: float = 60.0):
    """(N, 5) float32 x, y, z, intensity, ring of a spinning LiDAR at the origin."""
    elev = np.deg2rad(np.linspace(-30, 10, beams))
    azim = np.deg2rad(np.arange(azimuths) * 360 / azimuths)
    e, a = np.meshgrid(elev, azim, indexing='ij')
    dirs = np.stack([np.cos(e) * np.cos(a), np.cos(e) * np.sin(a), np.sin(e)], -1).reshape(-1, 3)
    t, hit, _ = cast(np.zeros_like(dirs), dirs, boxes)
    keep = t < max_range
    pts = dirs[keep] * t[keep, None] + rng.normal(0, 0.02, (keep.sum(), 3))
    intensity = np.where(hit[keep] >= 0, 0.6, 0.2) + rng.uniform(0, 0.1, keep.sum())
    ring = np.repeat(np.arange(beams), azimuths)[keep]
    return np.column_stack([pts, intensity, ring]).astype(np.float32)


def points_in_box(points, box) -> int:
    x, y, z, l, w, h, yaw = box[:7]
    c, s = np.cos(-yaw), np.sin(-yaw)
    d = points[:, :3] - [x, y, z]
    local = np.stack([d[:, 0] * c - d[:, 1] * s, d[:, 0] * s + d[:, 1] * c, d[:, 2]], 1)
    return int((np.abs(local) <= np.array([l, w, h]) / 2 + 0.1).all(1).sum())


def camera_rig(size, fov_deg):
    """{camera: (cam2img 3x3, lidar2cam 4x4)} of the six cameras."""
    from projects.common.cameras import intrinsics, lidar2cam_from_pose
    h, w = size
    f = (w / 2) / np.tan(np.deg2rad(fov_deg) / 2)
    k = intrinsics(f, f, (w - 1) / 2, (h - 1) / 2)
    rig = {}
    for name, yaw in CAMERAS.items():
        yaw = np.deg2rad(yaw)
        position = (1.0 * np.cos(yaw) + 0.5, 0.8 * np.sin(yaw), GROUND_Z + 1.5)
        rig[name] = (k, lidar2cam_from_pose(yaw, position))
    return rig


SCENE_NAMES = dict(train=['scene-0061', 'scene-0553', 'scene-0655', 'scene-0757', 'scene-0796',
                          'scene-1077', 'scene-1094', 'scene-1100'],
                   val=['scene-0103', 'scene-0916'])  # nuScenes mini_train / mini_val
DEVKIT_NAMES = {'car': ('vehicle.car', 'vehicle.parked'),
                'pedestrian': ('human.pedestrian.adult', 'pedestrian.standing')}


def nuscenes_tables(samples: dict) -> dict:
    """Minimal nuScenes tables (``v1.0-mini``) for {split: [info, ...]}: identity ego poses
    and LiDAR calibration, one LiDAR key frame and one annotation per box and sample."""
    def quat(yaw):
        return [float(np.cos(yaw / 2)), 0.0, 0.0, float(np.sin(yaw / 2))]
    t = dict(category=[], attribute=[], visibility=[dict(token='4', level='v80-100',
                                                         description='')],
             sensor=[dict(token='sensor_lidar', channel='LIDAR_TOP', modality='lidar')],
             calibrated_sensor=[dict(token='calib_lidar', sensor_token='sensor_lidar',
                                     translation=[0, 0, 0], rotation=[1, 0, 0, 0],
                                     camera_intrinsic=[])],
             log=[dict(token='log0', logfile='', vehicle='', date_captured='',
                       location='singapore-onenorth')],
             map=[dict(token='map0', log_tokens=['log0'], category='semantic_prior',
                       filename='')],
             ego_pose=[], scene=[], sample=[], sample_data=[], instance=[],
             sample_annotation=[])
    for name, (category, attribute) in DEVKIT_NAMES.items():
        t['category'].append(dict(token=f'cat_{name}', name=category, description=''))
        t['attribute'].append(dict(token=f'attr_{name}', name=attribute, description=''))
    for split, infos in samples.items():
        names = SCENE_NAMES[split]
        groups = np.array_split(np.arange(len(infos)), len(names))
        for scene_name, group in zip(names, groups):
            tokens = [infos[i]['token'] for i in group]
            t['scene'].append(dict(token=f'{scene_name}_tok', log_token='log0', name=scene_name,
                                   nbr_samples=len(tokens), first_sample_token=tokens[0],
                                   last_sample_token=tokens[-1], description=''))
            for k, i in enumerate(group):
                info, token = infos[i], tokens[k]
                stamp = int(info['timestamp'] * 500_000)
                t['sample'].append(dict(token=token, timestamp=stamp,
                                        scene_token=f'{scene_name}_tok',
                                        prev=tokens[k - 1] if k else '',
                                        next=tokens[k + 1] if k + 1 < len(tokens) else ''))
                t['ego_pose'].append(dict(token=f'{token}_ego', timestamp=stamp,
                                          translation=[0, 0, 0], rotation=[1, 0, 0, 0]))
                t['sample_data'].append(dict(
                    token=f'{token}_lidar', sample_token=token, ego_pose_token=f'{token}_ego',
                    calibrated_sensor_token='calib_lidar', timestamp=stamp, fileformat='bin',
                    is_key_frame=True, height=0, width=0, prev='', next='',
                    filename=f'samples/LIDAR_TOP/{info["lidar_points"]["lidar_path"]}'))
                for j, inst in enumerate(info['instances']):
                    name = NUSCENES_CLASSES[inst['bbox_label_3d']]
                    x, y, z, l, w, h, yaw = inst['bbox_3d']
                    ann = f'{token}_ann{j}'
                    t['instance'].append(dict(token=f'{ann}_inst', category_token=f'cat_{name}',
                                              nbr_annotations=1, first_annotation_token=ann,
                                              last_annotation_token=ann))
                    t['sample_annotation'].append(dict(
                        token=ann, sample_token=token, instance_token=f'{ann}_inst',
                        visibility_token='4', attribute_tokens=[f'attr_{name}'],
                        translation=[x, y, z], size=[w, l, h], rotation=quat(yaw), prev='',
                        next='', num_lidar_pts=inst['num_lidar_pts'], num_radar_pts=0))
    return t


def write_bev_scenes(out: str, num_train: int = 24, num_val: int = 8, seed: int = 0) -> int:
    from PIL import Image
    from tqdm import tqdm
    rng = np.random.default_rng(seed)
    tex = _textures()
    size, grid = BEV_VIEW['image'], BEV_VIEW['grid']
    rig = camera_rig(size, BEV_VIEW['fov_deg'])
    for sub in list(CAMERAS) + ['LIDAR_TOP']:
        os.makedirs(osp.join(out, 'samples', sub), exist_ok=True)
    os.makedirs(osp.join(out, 'bev'), exist_ok=True)
    dx, dy = BEV_VIEW['voxel'][:2]
    xs = grid[0] + (np.arange(round((grid[3] - grid[0]) / dx)) + 0.5) * dx
    ys = grid[1] + (np.arange(round((grid[4] - grid[1]) / dy)) + 0.5) * dy
    bx, by = np.meshgrid(xs, ys)
    index = 0
    written = {}
    for split, num in (('train', num_train), ('val', num_val)):
        data_list = []
        for _ in tqdm(range(num), desc=f'BEV scenes ({split})'):
            token = f'scene_{index:04d}'
            road, boxes = random_scene(rng)
            images = {}
            for cam, (k, l2c) in rig.items():
                img, _ = render_camera(k, l2c, size, road, boxes, tex, rng)
                path = f'{token}.png'
                Image.fromarray(img).save(osp.join(out, 'samples', cam, path))
                images[cam] = dict(img_path=path, cam2img=k.tolist(), lidar2cam=l2c.tolist(),
                                   cam2ego=np.linalg.inv(l2c).tolist(), timestamp=index,
                                   sample_data_token=f'{token}_{cam}')
            points = lidar_sweep(boxes, rng)
            points.tofile(osp.join(out, 'samples', 'LIDAR_TOP', f'{token}.bin'))
            Image.fromarray(drivable(road, bx, by).astype(np.uint8)).save(
                osp.join(out, 'bev', f'{token}.png'))
            instances = [dict(bbox_3d=b[:7].tolist(), bbox_label_3d=int(b[7]),
                              bbox_3d_isvalid=True, num_lidar_pts=points_in_box(points, b),
                              velocity=[0.0, 0.0]) for b in boxes]
            data_list.append(dict(  # sample_idx: the position in its info file
                sample_idx=len(data_list), token=token, timestamp=index,
                ego2global=np.eye(4).tolist(),
                lidar_points=dict(num_pts_feats=5, lidar_path=f'{token}.bin',
                                  lidar2ego=np.eye(4).tolist()),
                images=images, instances=instances))
            index += 1
        infos = dict(metainfo=dict(categories={c: i for i, c in enumerate(NUSCENES_CLASSES)},
                                   dataset='nuscenes', version='v1.0-mini', info_version='1.1'),
                     data_list=data_list)
        with open(osp.join(out, f'bev_infos_{split}.pkl'), 'wb') as f:
            pickle.dump(infos, f)
        written[split] = data_list
    import json
    os.makedirs(osp.join(out, 'v1.0-mini'), exist_ok=True)
    for table, rows in nuscenes_tables(written).items():
        with open(osp.join(out, 'v1.0-mini', f'{table}.json'), 'w') as f:
            json.dump(rows, f)
    return index
