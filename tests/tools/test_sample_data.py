"""The bundled samples are real and well formed; bad sample files give clear errors."""
import json
import os.path as osp

import numpy as np
import pytest

from projects.common.datasets import load_points
from projects.common.errors import SampleFileError


def test_point_cloud_from_stereo_is_plausible(samples):
    npy = load_points(osp.join(samples, 'pointclouds', 'motorcycle.npy'))
    ply = load_points(osp.join(samples, 'pointclouds', 'motorcycle.ply'))
    binary = load_points(osp.join(samples, 'pointclouds', 'motorcycle.bin'), num_features=4)
    assert npy.shape[1] == 6 and len(npy) > 50_000
    assert len(ply) == len(binary) == len(npy)
    assert np.allclose(ply[:, :3], npy[:, :3], atol=1e-5)
    assert np.allclose(ply[:, 3:], npy[:, 3:], atol=1e-2)  # ply stores colours as 8-bit
    # Middlebury's motorcycle stands 2-5 m from the camera (depth from disparity).
    assert 1.5 < npy[:, 2].min() and npy[:, 2].max() < 6.0
    assert 0 <= npy[:, 3:].min() and npy[:, 3:].max() <= 1


def test_known_pixel_back_projects_by_hand(samples):
    # Z = B f / (d + doffs): f = 994.978, doffs = 31.086, B = 0.193001 m.
    from skimage import data

    from tools.data.samples.pointcloud import motorcycle_points
    _, _, disp = data.stereo_motorcycle()
    valid = np.argwhere(np.isfinite(disp[::2, ::2]) & (disp[::2, ::2] > 0)) * 2
    v, u = valid[len(valid) // 2]  # a pixel kept by the stride-2 sampling, with disparity
    d = float(disp[v, u])
    z = 0.193001 * 994.978 / (d + 31.086)
    x = (u - 311.193) * z / 994.978
    pts = motorcycle_points()
    match = np.abs(pts[:, 2] - z).argmin()
    assert pts[match, 2] == pytest.approx(z, rel=1e-5)
    assert np.abs(pts[:, 0] - x).min() < 1e-4


def test_texture_set_labels(samples):
    from skimage import io
    meta = json.load(open(osp.join(samples, 'textures', 'meta.json')))
    assert meta['classes'] == ['brick', 'grass', 'gravel', 'moon']
    label = io.imread(osp.join(samples, 'textures', 'ann_dir', 'val', '0000.png'))
    image = io.imread(osp.join(samples, 'textures', 'img_dir', 'val', '0000.png'))
    assert label.shape == image.shape[:2] == (128, 128)
    assert set(np.unique(label)) <= {0, 1, 2, 3}


@pytest.mark.parametrize('name,content,message', [
    ('empty.bin', b'', 'file is empty'),
    ('short.bin', np.zeros(7, np.float32).tobytes(), 'do not split into rows of 4'),
    ('nan.npy', None, '1 of 3 points hold NaN or Inf'),
    ('flat.npy', np.zeros(5, np.float32), 'expected an (N, C>=3) array'),
    ('cloud.xyz', b'1 2 3', "unsupported point-cloud format '.xyz'"),
])
def test_bad_point_files_are_named(tmp_path, name, content, message):
    path = tmp_path / name
    if name == 'nan.npy':
        np.save(path, np.array([[0, 0, 0], [1, np.nan, 1], [2, 2, 2]], np.float32))
    elif isinstance(content, np.ndarray):
        np.save(path, content)
    else:
        path.write_bytes(content)
    with pytest.raises(SampleFileError) as info:
        load_points(str(path))
    assert str(info.value).startswith(str(path)) and message in str(info.value)


def test_empty_ply_is_named(tmp_path):
    import open3d as o3d
    path = str(tmp_path / 'empty.ply')
    o3d.io.write_point_cloud(path, o3d.geometry.PointCloud())
    with pytest.raises(SampleFileError, match='empty'):
        load_points(path)
