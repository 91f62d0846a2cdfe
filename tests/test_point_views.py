"""Two point-cloud views keep their correspondences and a rigid-plus-scale relation."""
import numpy as np
import pytest

from projects.common.datasets.point_views import TwoPointViews


@pytest.fixture
def cloud():
    rng = np.random.default_rng(0)
    return np.c_[rng.uniform(-5, 5, (4000, 2)), rng.uniform(0, 2, 4000),
                 rng.uniform(0, 1, 4000)].astype(np.float32)


def test_matches_point_at_the_same_input_point(cloud):
    np.random.seed(0)
    out = TwoPointViews(jitter_std=0)(dict(points=cloud))
    (v1, v2), matches = out['views'], out['matches']
    assert np.array_equal(v1['index'][matches[:, 0]], v2['index'][matches[:, 1]])
    smaller = min(len(v1['index']), len(v2['index']))
    assert len(matches) >= 0.3 * smaller
    # Without jitter each view is a rotation (+ flip) and a uniform scale of the input:
    # distances between matched points keep one ratio, and the extra channel is untouched.
    a, b = v1['points'][matches[:, 0]], v2['points'][matches[:, 1]]
    d1 = np.linalg.norm(a[1:, :3] - a[:-1, :3], axis=1)
    d2 = np.linalg.norm(b[1:, :3] - b[:-1, :3], axis=1)
    assert np.allclose(d1 / d2, (d1 / d2)[0], rtol=1e-4)
    assert 0.9 / 1.1 - 1e-6 <= (d1 / d2)[0] <= 1.1 / 0.9 + 1e-6
    assert np.allclose(a[:, 3], b[:, 3])
    assert np.allclose(a[:, 2] / b[:, 2], (d1 / d2)[0], rtol=1e-4)  # z only scales


def test_crop_keeps_the_requested_extent(cloud):
    np.random.seed(1)
    out = TwoPointViews(crop_ratio=0.5, min_overlap=0.0, rot_range=(0, 0),
                        scale_ratio_range=(1, 1), flip_prob=0, jitter_std=0)(dict(points=cloud))
    xy = out['views'][0]['points'][:, :2]
    assert np.all(xy.max(0) - xy.min(0) <= 5.0 + 1e-5)  # half of the 10 m extent


def test_impossible_overlap_falls_back_to_whole_cloud(cloud):
    np.random.seed(2)
    out = TwoPointViews(crop_ratio=0.05, min_overlap=1.0, max_tries=3,
                        jitter_std=0)(dict(points=cloud))
    assert len(out['matches']) == len(cloud)
