"""``pointclouds/motorcycle.{ply,npy,bin}``: a real coloured point cloud from the Middlebury
2014 "Motorcycle" stereo pair with its ground-truth disparity
(``skimage.data.stereo_motorcycle()``), back-projected with the camera model below, and the
posed left frame (``motorcycle_frames.json``).

Camera model (Middlebury 2014 calib.txt of Motorcycle, scaled by the factor between the
full-resolution width 2964 and the width of the packaged image):
``f = 3979.911 s``, ``cx = 1244.772 s``, ``cy = 1019.507 s``, ``doffs = 124.343 s``,
``baseline = 193.001 mm``; depth ``Z = baseline * f / (d + doffs)``, ``X = (u - cx) Z / f``,
``Y = (v - cy) Z / f`` in metres (camera frame: x right, y down, z forward).
"""
import json
import os
import os.path as osp

import numpy as np


MIDDLEBURY_MOTORCYCLE = dict(width=2964, f=3979.911, cx=1244.772, cy=1019.507,
                             doffs=124.343, baseline_m=0.193001)


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
