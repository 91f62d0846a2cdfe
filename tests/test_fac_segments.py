"""FAC's outdoor segment provider on a hand-made scene: ground plane plus two boxes."""
import numpy as np
import pytest

from projects.fac.segments import GroundClusterSegments


def scene(rng):
    ground = np.c_[rng.uniform(-10, 10, (3000, 2)), rng.normal(0, 0.02, 3000)]
    box_a = rng.uniform([2, 2, 0.5], [3, 3, 2.0], (1500, 3))    # 1500 points, far from b
    box_b = rng.uniform([-6, -5, 0.5], [-5, -4.5, 1.5], (800, 3))
    lone = np.array([[8.0, -8.0, 5.0]])                          # an isolated point
    return np.concatenate([ground, box_a, box_b, lone])


def test_ground_and_objects_are_separated():
    points = scene(np.random.default_rng(0))
    ids, is_fg = GroundClusterSegments()(points)
    assert (ids[:3000] == 0).mean() > 0.99           # ground -> segment 0, background
    assert list(is_fg) == [False, True, True]         # two foreground clusters
    # Each box is one cluster, the larger first (DBSCAN may drop a few border points).
    assert (ids[3000:4500] == 1).mean() > 0.98 and not (ids[3000:4500] == 2).any()
    assert (ids[4500:5300] == 2).mean() > 0.98 and not (ids[4500:5300] == 1).any()
    assert ids[-1] == -1                              # too few neighbours: unassigned


def test_cluster_budget_and_tiny_input():
    points = scene(np.random.default_rng(1))
    ids, is_fg = GroundClusterSegments(max_clusters=1)(points)
    assert list(is_fg) == [False, True] and (ids[4500:5300] == -1).all()
    with pytest.raises(ValueError, match='at least 3 points'):
        GroundClusterSegments()(points[:2])
