"""FAC through the tools: pretrain a few iterations, convert, fine-tune and evaluate with
mmdet3d's MinkUNet segmentor and SegMetric."""
import json

from densepre_test_helpers import run_tool

PRETRAIN = 'configs/fac/fac_spunet-small_1xb2-50e_synthetic-scenes.py'
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
