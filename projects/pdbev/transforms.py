"""PDBEV data transforms around mmdet3d's nuScenes loading: calibration checks and
``lidar2img``, a multi-view resize + crop that keeps the intrinsics right, the BEV
segmentation raster, and packing."""
import os.path as osp

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmdet3d.datasets.transforms import Pack3DDetInputs
from mmengine.structures import PixelData

from ..common.errors import SampleFileError
from ..common.registry import register_in
from .lifting import VoxelGrid
from .visibility import lidar_visibility


def _name(results: dict) -> str:
    return results.get('token') or results.get('lidar_path') or '<sample>'


@register_in('mmengine', kind='TRANSFORMS')
class CheckBEVSample(BaseTransform):
    """Checks one sample and adds ``lidar2img`` (one 4x4 per camera) from ``cam2img`` and
    ``lidar2cam``. Errors name the sample and the camera: calibration missing, NaN / Inf,
    singular intrinsics or extrinsics, with ``grid`` (the model's point_cloud_range /
    voxel_size) a camera that sees none of the BEV grid (behind it or looking away), images
    of different sizes, an empty or non-finite LiDAR sweep (``allow_empty_points=True``
    keeps empty sweeps: the depth loss then has no pixels)."""

    def __init__(self, allow_empty_points: bool = False, grid=None):
        self.allow_empty_points = allow_empty_points
        self.probe = None
        if grid is not None:  # 9 x 9 x 3 points spread over the grid
            r = grid['point_cloud_range']
            axes = [np.linspace(r[i], r[i + 3], n) for i, n in ((0, 9), (1, 9), (2, 3))]
            self.probe = np.stack(np.meshgrid(*axes, indexing='ij'), -1).reshape(-1, 3)

    def _sees_grid(self, lidar2img: np.ndarray, img_shape) -> bool:
        pts = lidar2img @ np.concatenate([self.probe, np.ones((len(self.probe), 1))], 1).T
        depth = pts[2]
        with np.errstate(divide='ignore', invalid='ignore'):
            u, v = pts[0] / depth, pts[1] / depth
        h, w = img_shape[:2]
        return bool(((depth > 1e-3) & (u >= 0) & (u < w) & (v >= 0) & (v < h)).any())

    def transform(self, results: dict) -> dict:
        name = _name(results)
        cams = list(results.get('images', {}))
        cam2img, lidar2cam = results.get('cam2img'), results.get('lidar2cam')
        if not cams or cam2img is None or lidar2cam is None or \
                len(cam2img) != len(cams) or len(lidar2cam) != len(cams):
            raise SampleFileError(f'{name}: camera calibration missing (need cam2img and '
                                  f'lidar2cam for each of {len(cams)} cameras)')
        imgs = results.get('img', [])
        lidar2img = []
        for i, (cam, k, ext) in enumerate(zip(cams, cam2img, lidar2cam)):
            k, ext = np.asarray(k, np.float64), np.asarray(ext, np.float64)
            if k.shape[-2:] not in ((3, 3), (4, 4)) or ext.shape != (4, 4):
                raise SampleFileError(f'{name}: {cam} calibration of shapes {k.shape} / '
                                      f'{ext.shape} (expected 3x3 and 4x4)')
            for what, mat in (('cam2img (intrinsics)', k), ('lidar2cam (extrinsics)', ext)):
                if not np.isfinite(mat).all():
                    raise SampleFileError(f'{name}: {cam} {what} has NaN or Inf values')
                if abs(np.linalg.det(mat[:3, :3] if mat is k else mat)) < 1e-9:
                    raise SampleFileError(f'{name}: {cam} {what} is singular')
            view = np.eye(4)
            view[:k.shape[0], :k.shape[1]] = k
            lidar2img.append(view @ ext)
            if self.probe is not None and i < len(imgs) and \
                    not self._sees_grid(lidar2img[-1], imgs[i].shape):
                raise SampleFileError(f'{name}: {cam} sees none of the BEV grid (every grid '
                                      'point is behind the camera or outside its image); '
                                      'check its lidar2cam')
        results['lidar2img'] = lidar2img
        if len({im.shape for im in imgs}) > 1:
            raise SampleFileError(f'{name}: camera images of different sizes '
                                  f'{sorted({im.shape for im in imgs})}')
        points = results.get('points')
        if points is not None:
            arr = points.tensor if hasattr(points, 'tensor') else points
            if len(arr) == 0 and not self.allow_empty_points:
                raise SampleFileError(f'{name}: empty LiDAR sweep (no depth targets; set '
                                      'allow_empty_points=True to train without them)')
            if not torch.isfinite(torch.as_tensor(arr[:, :3])).all():
                raise SampleFileError(f'{name}: NaN or Inf in the LiDAR points')
        return results


@register_in('mmengine', kind='TRANSFORMS')
class ResizeCropMultiView(BaseTransform):
    """Scale every view by ``scale`` and keep the bottom-centred ``crop`` (H, W), updating
    ``cam2img`` and ``lidar2img`` (the paper's 900x1600 -> 512x1408 is this with scale
    0.88; unverified)."""

    def __init__(self, scale: float, crop):
        self.scale, self.crop = scale, tuple(crop)

    def transform(self, results: dict) -> dict:
        import cv2
        ch, cw = self.crop
        out, mats = [], []
        for img, k in zip(results['img'], results['cam2img']):
            h, w = img.shape[:2]
            nh, nw = round(h * self.scale), round(w * self.scale)
            top, left = max(nh - ch, 0), max((nw - cw) // 2, 0)
            if nh < ch or nw < cw:
                raise SampleFileError(f'{_name(results)}: image {h}x{w} scaled by '
                                      f'{self.scale} is smaller than the crop {ch}x{cw}')
            img = cv2.resize(img, (nw, nh))[top:top + ch, left:left + cw]
            aug = np.array([[self.scale, 0, -left], [0, self.scale, -top], [0, 0, 1]])
            k = np.asarray(k, np.float64)
            k3 = aug @ k[:3, :3]
            out.append(img)
            mats.append(k3)
        results['img'], results['cam2img'] = out, mats
        results['img_shape'] = results['pad_shape'] = self.crop
        return results


@register_in('mmengine', kind='TRANSFORMS')
class LoadBEVSegMap(BaseTransform):
    """``gt_bev_seg`` (K, Y, X) uint8 from ``<root>/<token>.png``: a class-index raster on
    the BEV grid (row = y index, column = x index; 0 = background, c = class c) turned into
    K binary maps (class 1..K)."""

    def __init__(self, root: str, num_classes: int = 1):
        self.root, self.num_classes = root, num_classes

    def transform(self, results: dict) -> dict:
        from PIL import Image
        path = osp.join(self.root, f'{results["token"]}.png')
        if not osp.isfile(path):
            raise SampleFileError(f'{path}: BEV segmentation raster not found (write it with '
                                  'tools/data/nuscenes_bev_masks.py)')
        raster = np.array(Image.open(path))
        results['gt_bev_seg'] = np.stack([raster == c + 1 for c in range(self.num_classes)]
                                         ).astype(np.uint8)
        return results


@register_in('mmengine', kind='TRANSFORMS')
class LidarBEVVisibility(BaseTransform):
    """``gt_bev_visibility`` (Y, X) uint8 on the BEV grid ``grid`` (the model's
    point_cloud_range / voxel_size): 1 where a LiDAR ray from the sensor (``origin`` in the
    LiDAR frame) to a return passes or ends, 0 occluded (``visibility.lidar_visibility``).
    Computed once per sample from the ground truth, so evaluation bins and the visible /
    occluded segmentation split do not depend on the model being scored."""

    def __init__(self, grid: dict, origin=(0.0, 0.0)):
        self.grid, self.origin = VoxelGrid(**grid), tuple(origin)

    def transform(self, results: dict) -> dict:
        points = results.get('points')
        if points is None:
            raise SampleFileError(f'{_name(results)}: LidarBEVVisibility needs the LiDAR '
                                  'points (put LoadPointsFromFile before it)')
        arr = points.tensor.numpy() if hasattr(points, 'tensor') else np.asarray(points)
        results['gt_bev_visibility'] = lidar_visibility(arr, self.grid,
                                                        self.origin).astype(np.uint8)
        return results


@register_in('mmengine', kind='TRANSFORMS')
class PackBEVInputs(Pack3DDetInputs):
    """mmdet3d's packing plus ``gt_bev_seg``, ``gt_bev_visibility`` and the sample token."""

    def __init__(self, keys=('img', 'points', 'gt_bboxes_3d', 'gt_labels_3d'), meta_keys=(
            'token', 'img_shape', 'ori_shape', 'lidar2img', 'cam2img', 'lidar2cam',
            'box_type_3d', 'sample_idx', 'lidar_path', 'num_views')):
        super().__init__(keys=keys, meta_keys=meta_keys)

    def transform(self, results: dict) -> dict:
        packed = super().transform(results)
        for key in ('gt_bev_seg', 'gt_bev_visibility'):
            if key in results:
                data = torch.from_numpy(results[key])
                setattr(packed['data_samples'], key, PixelData(
                    data=data if data.dim() == 3 else data[None]))
        return packed
