"""Two point-cloud views keep their correspondences through mmdet3d's point transforms."""
import numpy as np
import pytest

from projects.common.errors import SampleFileError
from projects.common.datasets.point_views import TwoPointViews

NO_CHANGE = [dict(type='GlobalRotScaleTrans', rot_range=[0, 0], scale_ratio_range=[1, 1],
                  translation_std=[0, 0, 0])]


@pytest.fixture
def cloud():
    rng = np.random.default_rng(0)
    return np.c_[rng.uniform(-5, 5, (4000, 2)), rng.uniform(0, 2, 4000),
                 rng.uniform(0, 1, 4000)].astype(np.float32)


def assert_matches_hold_the_same_point(out):
    (v1, v2), matches = out['views'], out['matches']
    assert np.array_equal(v1['index'][matches[:, 0]], v2['index'][matches[:, 1]])
    assert len(np.unique(v1['index'][matches[:, 0]])) == len(matches)


def test_matches_point_at_the_same_input_point(cloud):
    np.random.seed(0)
    no_jitter = [dict(type='GlobalRotScaleTrans', rot_range=[-np.pi, np.pi],
                      scale_ratio_range=[0.9, 1.1], translation_std=[0, 0, 0]),
                 dict(type='RandomFlip3D', flip_ratio_bev_horizontal=0.5)]
    out = TwoPointViews(view_pipeline=no_jitter)(dict(points=cloud))
    (v1, v2), matches = out['views'], out['matches']
    assert_matches_hold_the_same_point(out)
    assert len(matches) >= 0.3 * min(len(v1['index']), len(v2['index']))
    # Without jitter each view is a rotation (+ flip) and a uniform scale of the input:
    # distances between matched points keep one ratio, and the extra channel is untouched.
    a, b = v1['points'][matches[:, 0]], v2['points'][matches[:, 1]]
    assert a.shape[1] == cloud.shape[1]  # the index column is removed again
    d1 = np.linalg.norm(a[1:, :3] - a[:-1, :3], axis=1)
    d2 = np.linalg.norm(b[1:, :3] - b[:-1, :3], axis=1)
    assert np.allclose(d1 / d2, (d1 / d2)[0], rtol=1e-4)
    assert 0.9 / 1.1 - 1e-6 <= (d1 / d2)[0] <= 1.1 / 0.9 + 1e-6
    assert np.allclose(a[:, 3], b[:, 3])
    assert np.allclose(a[:, 2] / b[:, 2], (d1 / d2)[0], rtol=1e-4)  # z only scales


def test_crop_keeps_the_requested_extent(cloud):
    np.random.seed(1)
    out = TwoPointViews(crop_ratio=0.5, min_overlap=0.0, view_pipeline=NO_CHANGE)(
        dict(points=cloud))
    view = out['views'][0]
    xy = view['points'][:, :2]
    assert np.all(xy.max(0) - xy.min(0) <= 5.0 + 1e-5)  # half of the 10 m extent
    assert np.array_equal(view['points'], cloud[view['index']])


def test_range_filter_and_sampling_keep_correspondences(cloud):
    np.random.seed(3)
    pipeline = NO_CHANGE + [
        dict(type='PointsRangeFilter', point_cloud_range=[-3, -3, -1, 3, 3, 3]),
        dict(type='PointSample', num_points=500)]
    out = TwoPointViews(crop_ratio=0.9, view_pipeline=pipeline)(dict(points=cloud))
    for view in out['views']:
        assert len(view['points']) == 500
        assert np.all(np.abs(view['points'][:, :2]) <= 3)
        assert np.array_equal(view['points'], cloud[view['index']])
    assert_matches_hold_the_same_point(out)
    assert len(out['matches']) > 0


def test_sampling_with_repeats_matches_each_point_once(cloud):
    np.random.seed(4)
    pipeline = NO_CHANGE + [dict(type='PointSample', num_points=8000)]  # > points: repeats
    out = TwoPointViews(view_pipeline=pipeline)(dict(points=cloud))
    assert len(out['views'][0]['index']) == 8000
    assert_matches_hold_the_same_point(out)


def test_view_emptied_by_the_pipeline_names_the_scene(cloud):
    pipeline = [dict(type='PointsRangeFilter', point_cloud_range=[50, 50, 50, 60, 60, 60])]
    with pytest.raises(SampleFileError, match='scene_7.bin: a view has no points left'):
        TwoPointViews(view_pipeline=pipeline)(dict(points=cloud, lidar_path='scene_7.bin'))


def test_impossible_overlap_falls_back_to_whole_cloud(cloud):
    np.random.seed(2)
    out = TwoPointViews(crop_ratio=0.05, min_overlap=1.0, max_tries=3,
                        view_pipeline=NO_CHANGE)(dict(points=cloud))
    assert len(out['matches']) == len(cloud) and out['views_fallback'] is True
    out = TwoPointViews(crop_ratio=0.9, min_overlap=0.1, view_pipeline=NO_CHANGE)(
        dict(points=cloud))
    assert out['views_fallback'] is False
