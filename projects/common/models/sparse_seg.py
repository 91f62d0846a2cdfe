"""Run the suite's sparse U-Net inside mmdet3d's ``MinkUNet`` segmentor on any device.

mmdet3d 1.4's 'minkunet' voxelisation calls ``.cuda()``; this data preprocessor does the
same quantisation (round(xyz / voxel_size), one representative point per voxel, the
point-to-voxel map for per-point predictions) with device-agnostic torch ops.
"""
import torch
import torch.nn.functional as F
from mmdet3d.models.data_preprocessors import Det3DDataPreprocessor

from ..registry import register_in
from .voxelize import unique_cells


@register_in('mmengine')
class SparseSegDataPreprocessor(Det3DDataPreprocessor):
    """``Det3DDataPreprocessor(voxel=True, voxel_type='minkunet')`` without CUDA calls.

    The first point (in file order) of a voxel represents it, as in mmdet3d; the
    ``max_voxels`` subsampling of mmdet3d is not supported (it breaks point2voxel_map).
    """

    def voxelize(self, points, data_samples):
        if self.voxel_type != 'minkunet':
            return super().voxelize(points, data_samples)
        voxel_size = points[0].new_tensor(self.voxel_layer.voxel_size)
        voxels, coors = [], []
        for i, (res, sample) in enumerate(zip(points, data_samples)):
            grid = torch.round(res[:, :3] / voxel_size).long()
            grid -= grid.min(0).values
            _, point2voxel = unique_cells(grid)
            order = torch.arange(len(res), device=res.device)
            first = torch.full((int(point2voxel.max()) + 1, ), len(res), device=res.device,
                               dtype=torch.long).scatter_reduce_(0, point2voxel, order, 'amin')
            if hasattr(sample.gt_pts_seg, 'pts_semantic_mask'):
                sample.gt_pts_seg.voxel_semantic_mask = \
                    sample.gt_pts_seg.pts_semantic_mask[first]
            voxel_coors = F.pad(grid[first].int(), (1, 0), mode='constant', value=i)
            sample.batch_idx = voxel_coors[:, 0]
            sample.point2voxel_map = point2voxel
            voxels.append(res[first])
            coors.append(voxel_coors)
        return dict(voxels=torch.cat(voxels), coors=torch.cat(coors))
