"""FAC through the tools: pretrain a few iterations, convert, fine-tune and evaluate with
mmdet3d's MinkUNet segmentor and SegMetric; two-process training with parts sitting out."""
import json

import pytest

from densepre_test_helpers import run_dist_train, run_tool

PRETRAIN = 'configs/fac/fac_spunet-small_1xb2-50e_synthetic-scenes.py'
PRETRAIN_DEMO = 'configs/fac/fac_spunet-small_1xb1-10e_samples-demo.py'
SEG = 'configs/fac/downstream/spunet-small_minkunet_1xb4-200i_synthetic-scenes_fac.py'


def test_fac_pretrain_convert_finetune_evaluate(samples, tmp_path):
    pre = tmp_path / 'pre'
    res = run_tool('tools/train.py', PRETRAIN, '--work-dir', str(pre), '--cfg-options',
                   'train_cfg.max_epochs=1', 'train_dataloader.dataset.datasets.0.indices=3')
    assert res.returncode == 0, res.stderr[-3000:]
    backbone = tmp_path / 'backbone.pth'
    res = run_tool('tools/convert_checkpoint.py', str(pre / 'epoch_1.pth'), str(backbone),
                   '--check-config', SEG)
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'missing keys (0)' in res.stdout and 'mismatched keys (0)' in res.stdout
    seg = tmp_path / 'seg'
    res = run_tool('tools/train.py', SEG, '--work-dir', str(seg), '--cfg-options',
                   f'model.backbone.init_cfg.checkpoint={backbone}', 'train_cfg.max_iters=3',
                   'train_cfg.val_interval=3', 'default_hooks.checkpoint.interval=3')
    assert res.returncode == 0, res.stderr[-3000:]
    assert f'load model from: {backbone}' in res.stdout + res.stderr  # PretrainedInit ran
    out = tmp_path / 'metrics.json'
    res = run_tool('tools/test.py', SEG, str(seg / 'iter_3.pth'), '--work-dir', str(seg),
                   '--out', str(out))
    assert res.returncode == 0, res.stderr[-3000:]
    metrics = json.loads(out.read_text())
    assert {'miou', 'acc', 'ground', 'box', 'cylinder'} <= set(metrics)
    assert all(0.0 <= metrics[k] <= 1.0 for k in ('miou', 'acc'))


def test_data_efficient_split_is_a_seeded_random_fraction(samples, tmp_path):
    import pickle
    import shutil
    infos = tmp_path / 'scenes_infos_train.pkl'
    shutil.copy(f'{samples}/scenes/scenes_infos_train.pkl', infos)
    res = run_tool('tools/data/subsample_infos.py', str(infos), '--fractions', '0.25', '1',
                   '--seed', '3')
    assert res.returncode == 0, res.stderr[-2000:]
    full = pickle.loads(infos.read_bytes())
    quarter = pickle.loads((tmp_path / 'scenes_infos_train_25pct_seed3.pkl').read_bytes())
    ids = [d['sample_idx'] for d in quarter['data_list']]
    assert len(ids) == 4 and ids == sorted(ids) and quarter['metainfo'] == full['metainfo']
    assert ids != [0, 1, 2, 3]  # random scenes, not the first ones
    everything = pickle.loads((tmp_path / 'scenes_infos_train_100pct_seed3.pkl').read_bytes())
    assert everything['data_list'] == full['data_list']
    run_tool('tools/data/subsample_infos.py', str(infos), '--fractions', '0.25', '--seed', '3')
    again = pickle.loads((tmp_path / 'scenes_infos_train_25pct_seed3.pkl').read_bytes())
    assert [d['sample_idx'] for d in again['data_list']] == ids  # seeded
    # uniform: 16 scans, a quarter -> one from the middle of each stride of 4
    run_tool('tools/data/subsample_infos.py', str(infos), '--fractions', '0.25',
             '--strategy', 'uniform')
    spread = pickle.loads((tmp_path / 'scenes_infos_train_25pct_uniform.pkl').read_bytes())
    assert [d['sample_idx'] for d in spread['data_list']] == \
        [full['data_list'][i]['sample_idx'] for i in (2, 6, 10, 14)]


@pytest.mark.parametrize('case, options', [
    ('no correlation', ['model.head.use_correlation=False']),
    # one segment per scene (DBSCAN finds no cluster): L_fb and the correlation sit out
    ('no shared segments', ['train_dataloader.dataset.dataset.pipeline.1.provider.'
                            'min_points=1000000'])])
def test_two_gloo_processes_train_when_modules_sit_out(samples, tmp_path, case, options):
    """DDP fails at the second step when a step's loss leaves parameters unused, unless the
    config sets find_unused_parameters (and the CPU launcher keeps it)."""
    res = run_dist_train(PRETRAIN_DEMO, 2, 29620 + len(case), '--work-dir', str(tmp_path),
                         '--cfg-options', 'train_cfg.max_epochs=1',
                         'train_dataloader.dataset.times=4', *options)
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'Epoch(train) [1][2/2]' in res.stdout + res.stderr  # two steps on each rank
    if case == 'no shared segments':
        assert 'fb_skipped: 1.0000' in res.stdout + res.stderr


def test_scannet_superpoints_follow_mmdet3d_point_subsets(tmp_path):
    """A scan of 50 vertices, mmdet3d's points a shuffled subset of 30: each point gets its
    vertex's segment; a scan without segs.json is named."""
    import numpy as np
    import open3d as o3d
    rng = np.random.default_rng(0)
    scene = 'scene0000_00'
    scan = tmp_path / 'scans' / scene
    scan.mkdir(parents=True)
    vertices = rng.uniform(0, 5, (50, 3)).astype(np.float32)
    cloud = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(vertices.astype(np.float64)))
    o3d.io.write_point_cloud(str(scan / f'{scene}_vh_clean_2.ply'), cloud)
    segments = rng.integers(0, 7, 50)
    (scan / f'{scene}_vh_clean_2.0.010000.segs.json').write_text(
        json.dumps(dict(segIndices=segments.tolist())))
    (tmp_path / 'points').mkdir()
    subset = rng.permutation(50)[:30]
    colours = rng.uniform(0, 255, (30, 3)).astype(np.float32)
    np.c_[vertices[subset], colours].astype(np.float32).tofile(tmp_path / 'points' / f'{scene}.bin')
    res = run_tool('tools/data/scannet_superpoints.py', str(tmp_path))
    assert res.returncode == 0, res.stderr[-2000:]
    assert np.load(tmp_path / 'superpoints' / f'{scene}.npy').tolist() == \
        segments[subset].tolist()
    with open(tmp_path / 'points' / f'{scene}.bin', 'ab') as f:  # a truncated row
        f.write(np.zeros(2, np.float32).tobytes())
    res = run_tool('tools/data/scannet_superpoints.py', str(tmp_path))
    assert res.returncode == 1
    assert f'{scene}.bin: 182 float32 values, not rows of 6' in res.stderr
    (scan / f'{scene}_vh_clean_2.0.010000.segs.json').unlink()
    res = run_tool('tools/data/scannet_superpoints.py', str(tmp_path))
    assert res.returncode == 1
    assert f'error: {scan}/{scene}_vh_clean_2.0.010000.segs.json: file not found' in res.stderr
