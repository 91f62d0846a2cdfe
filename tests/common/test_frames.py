"""Posed frames next to a cloud: the bundled stereo cloud projects onto its own image."""
import json
import shutil

import numpy as np
import pytest

from projects.common.datasets import LoadPosedFrames, load_frames, load_points
from projects.common.errors import SampleFileError
from projects.common.cameras import pixels_in_image


def test_stereo_cloud_lands_on_its_pixels(samples):
    from PIL import Image
    frames = LoadPosedFrames()(dict(lidar_path=f'{samples}/pointclouds/motorcycle.npy'))['frames']
    assert len(frames) == 1
    img = np.asarray(Image.open(frames[0]['img_path']).convert('RGB'))
    points = load_points(f'{samples}/pointclouds/motorcycle.npy')
    row, col, visible = pixels_in_image(points, frames[0]['intrinsic'], frames[0]['extrinsic'],
                                *img.shape[:2])
    assert visible.all()
    # every point takes the colour of the pixel it was back-projected from
    assert np.abs(img[row, col] / 255.0 - points[:, 3:6]).max() < 1e-5


@pytest.fixture
def frames_dir(tmp_path, samples):
    shutil.copy(f'{samples}/images/camera.png', tmp_path / 'a.png')
    return tmp_path


def write(frames_dir, entries):
    path = frames_dir / 'scene_frames.json'
    path.write_text(entries if isinstance(entries, str) else json.dumps(entries))
    return str(path)


@pytest.mark.parametrize('entries, message', [
    ([dict(img_path='a.png', extrinsic=np.eye(4).tolist())], 'frame 0 has no intrinsic'),
    ([dict(img_path='a.png', intrinsic=np.eye(3).tolist(), extrinsic=np.eye(3).tolist())],
     r'frame 0 extrinsic must be a finite 4x4 matrix, got shape \(3, 3\)'),
    ([dict(img_path='a.png', intrinsic=[[1, 0, 0], [0, 1, 0], [0, 0, float('nan')]],
           extrinsic=np.eye(4).tolist())], 'frame 0 intrinsic must be a finite'),
    ([dict(intrinsic=np.eye(3).tolist(), extrinsic=np.eye(4).tolist())], 'no img_path'),
    ([dict(img_path='gone.png', intrinsic=np.eye(3).tolist(), extrinsic=np.eye(4).tolist())],
     'gone.png'),
    ('[{"img_path": ', 'not valid JSON'),
    ([], 'non-empty list of frames'),
])
def test_bad_frames_name_the_file(frames_dir, entries, message):
    path = write(frames_dir, entries)
    with pytest.raises(SampleFileError, match=message) as err:
        load_frames(path)
    assert 'scene_frames.json' in str(err.value) or 'gone.png' in str(err.value)


def test_missing_frames_file_names_the_cloud(tmp_path):
    with pytest.raises(SampleFileError, match=r'scene.bin: no posed frames \(.*scene_frames'):
        LoadPosedFrames()(dict(lidar_path=str(tmp_path / 'scene.bin')))
