"""Farthest point sampling, k-NN grouping and unit-sphere normalisation."""
import numpy as np
import pytest
import torch

from projects.common.models.point_ops import (farthest_point_sample, group_points, knn,
                                               normalize_unit_sphere)


def test_fps_on_a_line_by_hand():
    line = torch.arange(11.0)[None, :, None] * torch.tensor([1.0, 0.0, 0.0])
    assert farthest_point_sample(line, 4)[0].tolist() == [0, 10, 5, 2]  # 2 and 3 tie: first


def test_fps_picks_distinct_points_that_cover_the_cloud():
    torch.manual_seed(0)
    xyz = torch.rand(2, 600, 3)
    idx = farthest_point_sample(xyz, 48)
    assert all(len(set(row.tolist())) == 48 for row in idx)

    def covering_radius(centres):  # farthest any point is from its nearest centre
        return torch.cdist(xyz[0], centres).min(1).values.max()
    fps_radius = covering_radius(xyz[0, idx[0]])
    random_radii = [covering_radius(xyz[0, torch.randperm(600)[:48]]) for _ in range(20)]
    assert fps_radius < min(random_radii)
    with pytest.raises(ValueError, match='50 samples requested from 10 points'):
        farthest_point_sample(xyz[:, :10], 50)


def test_knn_matches_sorting_and_groups_are_relative():
    torch.manual_seed(1)
    xyz = torch.rand(2, 200, 3)
    idx = knn(xyz[:, :5], xyz, 8)
    brute = torch.cdist(xyz[:, :5], xyz).argsort(-1)[..., :8]
    assert torch.equal(idx, brute)
    centres, groups = group_points(xyz, 16, 8)
    assert centres.shape == (2, 16, 3) and groups.shape == (2, 16, 8, 3)
    assert torch.allclose(groups[:, :, 0], torch.zeros(2, 16, 3))  # nearest = the centre


@pytest.mark.parametrize('k', [1, 16])
def test_knn_of_large_clouds_on_the_cpu_takes_the_tree_and_agrees(k):
    from projects.common.models import point_ops
    torch.manual_seed(2)
    ref = torch.rand(2, 4096, 3)
    query = ref[:, :point_ops.KDTREE_MIN_PAIRS // 4096]  # exactly the threshold: the k-d tree
    idx = knn(query, ref, k)
    assert idx.shape == (2, 128, k) and idx.dtype == torch.long
    for b in range(2):  # per query, the k smallest float64 distances, nearest first
        dist = np.linalg.norm(ref[b].double().numpy()[None] - query[b].double().numpy()[:, None],
                              axis=-1)
        assert np.array_equal(idx[b].numpy(), np.argsort(dist, axis=1, kind='stable')[:, :k])


def test_unit_sphere_normalisation():
    xyz = torch.tensor([[[2.0, 0, 0], [4.0, 0, 0], [3.0, 1.0, 0]]])
    out = normalize_unit_sphere(xyz)
    assert torch.allclose(out.mean(1), torch.zeros(1, 3), atol=1e-6)
    assert out.norm(dim=-1).max().item() == pytest.approx(1.0)
    assert torch.all(normalize_unit_sphere(torch.ones(1, 5, 3)) == 0)  # degenerate: no NaN
