"""Cameras, one module for the suite: matrices in the nuScenes conventions and projection of
points to pixels (PDBEV's lifting, depth targets and metric; FAC's SAM lifting).

Conventions: LiDAR / ego (or world) frame x forward, y left, z up; camera frame x right,
y down, z forward (optical axis). ``lidar2img`` (4x4) maps a point to ``(u d, v d, d, 1)``
with (u, v) the pixel (x right, y down) and d the camera z-depth.
"""
import numpy as np
import torch
from torch import Tensor


def intrinsics(fx: float, fy: float, cx: float, cy: float) -> np.ndarray:
    """3x3 ``cam2img``."""
    return np.array([[fx, 0, cx], [0, fy, cy], [0, 0, 1]], np.float64)


def lidar2cam_from_pose(yaw: float, position, pitch: float = 0.0) -> np.ndarray:
    """4x4 LiDAR -> camera for a camera at ``position`` (LiDAR frame) looking along ``yaw``
    (radians from +x towards +y) tilted down by ``pitch``."""
    forward = np.array([np.cos(yaw) * np.cos(pitch), np.sin(yaw) * np.cos(pitch),
                        -np.sin(pitch)])
    right = np.array([np.sin(yaw), -np.cos(yaw), 0.0])
    down = np.cross(forward, right)
    rot = np.stack([right, down, forward])  # rows: camera axes in the LiDAR frame
    out = np.eye(4)
    out[:3, :3] = rot
    out[:3, 3] = -rot @ np.asarray(position, np.float64)
    return out


def lidar2img(cam2img: np.ndarray, lidar2cam: np.ndarray) -> np.ndarray:
    view = np.eye(4)
    view[:3, :3] = cam2img
    return view @ lidar2cam


def camera_centers(lidar2img: Tensor) -> Tensor:
    """(..., 3) camera centre in the LiDAR frame: the null vector of the top 3x4 rows."""
    m = lidar2img[..., :3, :3]
    return -torch.linalg.solve(m, lidar2img[..., :3, 3:4])[..., 0]


def project(points: Tensor, lidar2img: Tensor):
    """points (P, 3), lidar2img (N, 4, 4) -> pixels (N, P, 2) (u, v) and depth (N, P)."""
    homo = torch.cat([points, torch.ones_like(points[:, :1])], 1)
    cam = torch.einsum('nij,pj->npi', lidar2img, homo)
    depth = cam[..., 2]
    return cam[..., :2] / depth.clamp(min=1e-5)[..., None], depth


def pixels_in_image(points: np.ndarray, intrinsic: np.ndarray, extrinsic: np.ndarray,
                    height: int, width: int):
    """Pixel (row, col) of each point and whether it is visible (in front of the camera and
    inside the ``height`` x ``width`` image): (N,), (N,), (N,) bool. ``extrinsic`` maps the
    points' frame to the camera (4x4); ``intrinsic`` is the 3x3 ``cam2img``."""
    matrix = lidar2img(np.asarray(intrinsic, np.float64), np.asarray(extrinsic, np.float64))
    uv, depth = project(torch.as_tensor(np.asarray(points)[:, :3], dtype=torch.float64),
                        torch.as_tensor(matrix)[None])
    uv, depth = uv[0].numpy(), depth[0].numpy()
    col, row = np.floor(uv[:, 0]).astype(np.int64), np.floor(uv[:, 1]).astype(np.int64)
    visible = (depth > 1e-6) & (col >= 0) & (col < width) & (row >= 0) & (row < height)
    return row, col, visible
