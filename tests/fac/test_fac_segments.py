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


def test_relabel_and_foreground_rule():
    from projects.fac.segments import relabel, small_segments_are_foreground
    ids = relabel(np.array([7, 7, -1, 3, 9, 3, 3]))
    assert ids.tolist() == [0, 0, -1, 1, 2, 1, 1]
    # sizes 2, 3, 1; the 0.5 quantile is 2 -> segments 0 and 2 are foreground.
    assert small_segments_are_foreground(ids, 0.5).tolist() == [True, False, True]


def test_precomputed_segments_from_disk(tmp_path):
    from projects.common.errors import SampleFileError
    from projects.fac.segments import PrecomputedSegments
    np.save(tmp_path / 'scene0.npy', np.array([5, 5, 5, 5, 8, 8, -1]))
    provider = PrecomputedSegments(str(tmp_path), foreground_quantile=0.5)
    ids, fg = provider(np.zeros((7, 3)), {'lidar_path': '/data/points/scene0.bin'})
    assert ids.tolist() == [0, 0, 0, 0, 1, 1, -1]
    assert fg.tolist() == [False, True]  # the big segment is background
    with pytest.raises(SampleFileError, match='7 segment ids for 5 points'):
        provider(np.zeros((5, 3)), {'lidar_path': 'scene0.ply'})
    with pytest.raises(SampleFileError, match='file not found'):
        provider(np.zeros((5, 3)), {'lidar_path': 'scene1.ply'})


def test_region_growing_separates_floor_wall_and_a_red_box():
    from projects.fac.segments import RegionGrowingSegments
    g = np.mgrid[0:2:0.02, 0:2:0.02].reshape(2, -1).T               # 100 x 100 grid
    floor = np.c_[g, np.zeros(len(g))]                               # z = 0 plane
    wall = np.c_[g[:, 0], np.full(len(g), 2.5), g[:, 1] + 0.2]       # y = 2.5 plane
    p = np.mgrid[0:0.4:0.02, 0:0.4:0.02].reshape(2, -1).T              # 20 x 20 patch
    box = np.c_[0.5 + p[:, 0], np.full(len(p), 1.0), 0.2 + p[:, 1]]  # small, vertical, red
    xyz = np.concatenate([floor, wall, box])
    rgb = np.concatenate([np.full((len(floor), 3), 0.5), np.full((len(wall), 3), 0.5),
                          np.tile([1.0, 0.0, 0.0], (len(box), 1))])
    # sizes 10000, 10000, 400: the 0.3 quantile (6160) keeps only the patch as foreground
    ids, fg = RegionGrowingSegments(radius=0.05, foreground_quantile=0.3)(np.c_[xyz, rgb])
    n = len(floor)
    assert len(np.unique(ids[:n])) == 1 and len(np.unique(ids[n:2 * n])) == 1
    assert ids[0] != ids[n] != ids[-1] and ids[0] != ids[-1]
    assert fg[ids[-1]] and not fg[ids[0]] and not fg[ids[n]]


def test_segment_cache_computes_each_scene_once_per_setting(tmp_path):
    from projects.fac.transforms import ComputeSegments
    points = scene(np.random.default_rng(0)).astype(np.float32)
    calls = []

    def counted(settings):
        transform = ComputeSegments(dict(type='GroundClusterSegments', **settings),
                                    cache_dir=str(tmp_path))
        provider = transform.provider
        transform.provider = lambda pts, res: calls.append(1) or provider(pts, res)
        return transform

    first = counted(dict(eps=0.3))
    a = first(dict(points=points.copy()))
    b = counted(dict(eps=0.3))(dict(points=points.copy()))   # a new loader, same settings
    assert len(calls) == 1
    assert np.array_equal(a['segments'], b['segments'])
    assert np.array_equal(a['is_foreground'], b['is_foreground'])
    assert a['segments'].max() == 2  # both boxes: the cache holds real segments
    counted(dict(eps=0.5))(dict(points=points.copy()))        # another setting: computed
    counted(dict(eps=0.3))(dict(points=points[:4000].copy()))  # other points: computed
    assert len(calls) == 3
    # a damaged cache file is computed again, not trusted
    for path in tmp_path.rglob('*.npz'):
        path.write_bytes(b'broken')
    c = counted(dict(eps=0.3))(dict(points=points.copy()))
    assert len(calls) == 4 and np.array_equal(c['segments'], a['segments'])
