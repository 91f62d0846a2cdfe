"""Camera matrices in the nuScenes conventions: LiDAR / ego frame x forward, y left, z up;
camera frame x right, y down, z forward (optical axis)."""
import numpy as np


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
