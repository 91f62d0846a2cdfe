"""Pictures: PCA colouring, segment colours, off-screen point rendering, the tools."""
import numpy as np
import pytest
import torch

from densepre_test_helpers import run_tool
from projects.common.visualization import pca_rgb, render_points, segment_colours


def test_pca_colours_follow_the_main_direction():
    t = torch.linspace(0, 1, 50)[:, None]
    feats = t * torch.tensor([[3.0, 0.0, 0.0, 0.0]])  # variation along one axis only
    rgb = pca_rgb(feats)
    assert rgb.shape == (50, 3) and rgb.min() >= 0 and rgb.max() <= 1
    first = rgb[:, 0]
    assert torch.allclose(first, t.flatten(), atol=1e-4) or \
        torch.allclose(first, 1 - t.flatten(), atol=1e-4)


def test_segment_colours():
    colours = segment_colours(np.array([0, 1, 1, -1]), np.array([False, True]))
    assert np.allclose(colours[0], 0.45) and np.allclose(colours[3], 0.0)
    assert np.allclose(colours[1], colours[2]) and not np.allclose(colours[1], 0.45)


def test_render_points_writes_a_picture(tmp_path):
    from PIL import Image
    xyz = np.random.default_rng(0).uniform(0, 1, (500, 3))
    path = str(tmp_path / 'p.png')
    backend = render_points(xyz, np.tile([1.0, 0.0, 0.0], (500, 1)), path, size=(160, 120))
    assert backend in ('open3d', 'matplotlib')
    img = np.asarray(Image.open(path).convert('RGB'))
    assert img.shape[:2] == (120, 160)
    assert (img.std(axis=(0, 1)) > 0).any()  # not a blank canvas


@pytest.mark.parametrize('extra', [['--segments'], []])
def test_visualize_points_tool(samples, tmp_path, extra):
    out = tmp_path / 'cloud.png'
    res = run_tool('tools/visualize_points.py',
                   'configs/fac/fac_spunet-small_1xb2-50e_synthetic-scenes.py', '--points',
                   f'{samples}/scenes/points/val/scene_016.bin', '--out', str(out), *extra)
    assert res.returncode == 0, res.stderr[-2000:]
    assert out.stat().st_size > 1000


def test_visualize_sam_segments_of_the_stereo_cloud(samples, tmp_path):
    """The SAM provider reads the cloud's posed frame (motorcycle_frames.json) by itself."""
    out = tmp_path / 'sam.png'
    provider = 'train_dataloader.dataset.dataset.pipeline.2.provider'
    res = run_tool('tools/visualize_points.py',
                   'configs/fac/fac_spunet-small_1xb1-10e_samples-sam.py', '--points',
                   f'{samples}/pointclouds/motorcycle.npy', '--out', str(out), '--segments',
                   '--cfg-options', f'{provider}.tiny_random=True',
                   f'{provider}.generator.points_per_side=4',
                   f'{provider}.generator.pred_iou_thresh=0.0',
                   f'{provider}.generator.stability_score_thresh=0.0')
    assert res.returncode == 0, res.stderr[-2000:]
    assert 'foreground' in res.stdout and out.stat().st_size > 1000
    res = run_tool('tools/visualize_points.py',
                   'configs/fac/fac_spunet-small_1xb1-10e_samples-sam.py', '--points',
                   f'{samples}/pointclouds/motorcycle.npy', '--out', str(out), '--segments')
    assert res.returncode == 1
    assert 'error: checkpoints/sam_vit_b_01ec64.pth: segment-anything checkpoint not found' \
        in res.stderr and 'Traceback' not in res.stderr
