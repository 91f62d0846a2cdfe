"""Limited annotations: exactly N labelled points per scene, fixed per scene and seed."""
import numpy as np
import pytest
import torch

from projects.common.datasets import LimitedAnnotation
from projects.common.errors import SampleFileError

IGNORE = 20


def scene(name='scene0000_00', n=1000, unlabelled=300):
    labels = np.arange(n) % 5
    labels[:unlabelled] = IGNORE
    return dict(pts_semantic_mask=labels, lidar_path=f'data/scannet/points/{name}.bin')


@pytest.mark.parametrize('count', [20, 50, 100, 200])
def test_exactly_n_labelled_points_fixed_per_scene_and_seed(count):
    out = LimitedAnnotation(count)(scene())['pts_semantic_mask']
    kept = np.flatnonzero(out != IGNORE)
    assert len(kept) == count and kept.min() >= 300            # only labelled points kept
    assert np.array_equal(out[kept], np.arange(1000)[kept] % 5)  # with their own labels
    again = LimitedAnnotation(count)(scene())['pts_semantic_mask']
    assert np.array_equal(out, again)                          # every epoch the same points
    other_seed = LimitedAnnotation(count, seed=1)(scene())['pts_semantic_mask']
    other_scene = LimitedAnnotation(count)(scene('scene0001_00'))['pts_semantic_mask']
    assert not np.array_equal(out, other_seed) and not np.array_equal(out, other_scene)


def test_fewer_labelled_points_than_asked_keeps_them_all():
    out = LimitedAnnotation(200)(scene(n=250, unlabelled=100))['pts_semantic_mask']
    assert (out != IGNORE).sum() == 150
    full = LimitedAnnotation(0)(scene())['pts_semantic_mask']  # 0: the full-label setting
    assert np.array_equal(full, scene()['pts_semantic_mask'])


def test_listed_points_from_an_annotation_file(tmp_path):
    path = tmp_path / 'points20.pth'
    torch.save({'scene0000_00': np.array([400, 401, 999])}, path)
    out = LimitedAnnotation(20, annotation_file=str(path))(scene())['pts_semantic_mask']
    assert np.flatnonzero(out != IGNORE).tolist() == [400, 401, 999]
    with pytest.raises(SampleFileError, match='points20.pth: no annotated points for scene '
                                              'scene0001_00'):
        LimitedAnnotation(20, annotation_file=str(path))(scene('scene0001_00'))
    torch.save({'scene0000_00': np.array([5000])}, path)
    with pytest.raises(SampleFileError, match='outside its 1000 points'):
        LimitedAnnotation(20, annotation_file=str(path))(scene())
