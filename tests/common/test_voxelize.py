"""Voxelisation by hand and the round trip voxel features -> points."""
import pytest
import torch

from projects.common.models import SpUNet
from projects.common.models.voxelize import collate_sparse, voxelize


def test_voxelize_by_hand():
    # Voxel size 1: points 0 and 1 share voxel (0,0,0); point 2 is in voxel x=2.
    points = torch.tensor([[0.1, 0.2, 0.3], [0.9, 0.5, 0.0], [2.5, 0.0, 0.0]])
    feats = torch.tensor([[1.0], [3.0], [10.0]])
    vox = voxelize(points, feats, (1.0, 1.0, 1.0))
    assert vox.coords.tolist() == [[0, 0, 0], [0, 0, 2]]  # (z, y, x)
    assert vox.feats.flatten().tolist() == [2.0, 10.0]  # mean of 1 and 3
    assert vox.point2voxel.tolist() == [0, 0, 1]


def test_bad_points_are_rejected():
    with pytest.raises(ValueError, match=r'\(N>0, 3\) points'):
        voxelize(torch.zeros(0, 3), torch.zeros(0, 1), (1, 1, 1))


def test_per_point_features_come_back_through_the_unet():
    torch.manual_seed(0)
    clouds = [torch.rand(500, 3) * 4, torch.rand(300, 3) * 4]
    voxels = [voxelize(p, torch.cat([p, torch.ones(len(p), 1)], 1), (0.25, 0.25, 0.25))
              for p in clouds]
    tensor, point2voxel = collate_sparse(voxels)
    assert tensor.batch_size == 2 and tensor.features.shape[1] == 4
    net = SpUNet(in_channels=4, num_classes=5, base_channels=8, channels=(8, 16, 16, 8),
                 layers=(1, 1, 1, 1))
    point_logits = net(tensor).features[point2voxel]
    assert point_logits.shape == (800, 5)
    # Points of one voxel get identical outputs; the batch column keeps clouds apart.
    first = voxels[0].point2voxel
    shared = torch.bincount(first).argmax()  # a voxel holding several points
    same = (first == shared).nonzero().flatten()
    assert len(same) >= 2
    assert torch.equal(point_logits[same[0]], point_logits[same[1]])
    assert (tensor.indices[:, 0] == 1).sum() == len(voxels[1].coords)


def test_flat_cloud_survives_the_downsampling():
    # A crop holding only ground is one voxel thick: the U-Net pads its grid so every
    # stride-2 stage keeps a non-empty axis.
    flat = torch.cat([torch.rand(200, 2) * 3, torch.zeros(200, 1)], 1)
    vox = voxelize(flat, torch.ones(200, 1), (0.1, 0.1, 0.1))
    tensor, point2voxel = collate_sparse([vox])
    assert tensor.spatial_shape[0] == 1
    net = SpUNet(in_channels=1, base_channels=8, channels=(8, 16, 16, 8), layers=(1, 1, 1, 1))
    assert net(tensor).features[point2voxel].shape == (200, 8)
