"""The paper ScanNet fine-tune config (whole scenes, absolute coordinates, full SpUNet-v1m1)
on a miniature in mmdet3d's processed ScanNet layout: points/*.bin (float32 x y z r g b),
semantic_mask/*.bin (int64 ScanNet label ids), info files in mmdet3d's v2 format."""
import json
import pickle

import numpy as np

from densepre_test_helpers import run_tool

CONFIG = 'configs/fac/downstream/spunet_minkunet_8xb2-100e_scannet-seg.py'
IDS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 24, 28, 33, 34, 36, 39)  # the 20 classes


def write_scene(root, name, rng, n=3000):
    xyz = rng.uniform([0, 0, 0], [3, 3, 2], (n, 3))
    rgb = rng.uniform(0, 255, (n, 3))
    np.c_[xyz, rgb].astype(np.float32).tofile(root / 'points' / f'{name}.bin')
    labels = np.where(xyz[:, 2] < 0.5, 2, np.where(xyz[:, 0] < 1, 1, 5))  # floor, wall, chair
    labels[:50] = 0                                                       # unannotated
    labels.astype(np.int64).tofile(root / 'semantic_mask' / f'{name}.bin')
    return dict(lidar_points=dict(num_pts_feats=6, lidar_path=f'{name}.bin'),
                pts_semantic_mask_path=f'{name}.bin', sample_idx=name)


def make_miniature(root):
    rng = np.random.default_rng(0)
    for sub in ('points', 'semantic_mask'):
        (root / sub).mkdir(parents=True)
    meta = dict(dataset='scannet', info_version='1.1')
    for split, names in (('train', ['scene0000_00', 'scene0001_00']), ('val', ['scene0011_00'])):
        infos = dict(metainfo=meta, data_list=[write_scene(root, n, rng) for n in names])
        with open(root / f'scannet_infos_{split}.pkl', 'wb') as f:
            pickle.dump(infos, f)


def test_paper_scannet_finetune_runs_on_a_miniature(tmp_path):
    data = tmp_path / 'scannet'
    make_miniature(data)
    work = tmp_path / 'work'
    options = [f'train_dataloader.dataset.data_root={data}',
               f'val_dataloader.dataset.data_root={data}',
               f'test_dataloader.dataset.data_root={data}',
               'train_dataloader.batch_size=1', 'train_dataloader.num_workers=0',
               'train_dataloader.persistent_workers=False', 'val_dataloader.num_workers=0',
               'val_dataloader.persistent_workers=False', 'test_dataloader.num_workers=0',
               'test_dataloader.persistent_workers=False', 'train_cfg.max_epochs=1',
               'train_cfg.val_interval=1', 'default_hooks.checkpoint.interval=1',
               'train_dataloader.dataset.pipeline.3.num_points=20']  # limited annotations
    res = run_tool('tools/train.py', CONFIG, '--work-dir', str(work), '--cfg-options', *options)
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'Epoch(train) [1][2/2]' in res.stdout + res.stderr  # both scenes, whole
    out = tmp_path / 'metrics.json'
    res = run_tool('tools/test.py', CONFIG, str(work / 'epoch_1.pth'), '--out', str(out),
                   '--work-dir', str(work), '--cfg-options', *options)
    assert res.returncode == 0, res.stderr[-3000:]
    metrics = json.loads(out.read_text())
    assert {'miou', 'acc', 'acc_cls'} <= set(metrics)
    assert all(0 <= metrics[k] <= 1 for k in ('miou', 'acc', 'acc_cls'))


def test_official_limited_scene_list_selects_its_scenes(tmp_path):
    """``scene_list`` (tasks/scenes/<k>.txt, relative to data_root) keeps the listed scenes
    in the list's order; a scene the info file lacks is named."""
    import pytest

    from projects.common.datasets import ScanNetWholeSceneSegDataset
    from projects.common.errors import SampleFileError
    make_miniature(tmp_path)
    (tmp_path / 'tasks' / 'scenes').mkdir(parents=True)
    (tmp_path / 'tasks' / 'scenes' / '1.txt').write_text('scene0001_00\n\n')
    kwargs = dict(data_root=str(tmp_path), ann_file='scannet_infos_train.pkl', pipeline=[],
                  scene_idxs=None,
                  data_prefix=dict(pts='points', pts_semantic_mask='semantic_mask'),
                  metainfo=dict(classes=ScanNetWholeSceneSegDataset.METAINFO['classes']))
    assert len(ScanNetWholeSceneSegDataset(**kwargs)) == 2
    limited = ScanNetWholeSceneSegDataset(scene_list='tasks/scenes/1.txt', **kwargs)
    assert [d['lidar_points']['lidar_path'] for d in limited.data_list] == \
        [str(tmp_path / 'points' / 'scene0001_00.bin')]
    assert list(limited.scene_idxs) == [0]
    (tmp_path / 'tasks' / 'scenes' / '5.txt').write_text('scene0001_00\nscene0042_00\n')
    with pytest.raises(SampleFileError, match=r'5.txt: scene scene0042_00 is not in .*'
                                              r'scannet_infos_train.pkl'):
        ScanNetWholeSceneSegDataset(scene_list='tasks/scenes/5.txt', **kwargs)


def test_scannet_masks_of_another_length_are_named(tmp_path):
    """The sample-file check on the paper config's ScanNet dataset: an int64 semantic mask
    with 50 labels fewer than its points file has rows is named before any training."""
    import pytest
    from mmengine.config import Config
    from mmengine.registry import DATASETS, DefaultScope

    from projects.common.datasets import check_sample_files
    from projects.common.errors import SampleFileError
    make_miniature(tmp_path)
    cfg = Config.fromfile(CONFIG)
    with DefaultScope.overwrite_default_scope('mmdet3d'):  # not left set for other tests
        dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root=str(tmp_path)))
    assert check_sample_files(dataset) == 2
    mask = tmp_path / 'semantic_mask' / 'scene0001_00.bin'
    np.fromfile(mask, np.int64)[:-50].tofile(mask)
    with pytest.raises(SampleFileError, match=r'semantic_mask/scene0001_00.bin: 2950 labels, '
                                              r'but .*points/scene0001_00.bin holds 3000 points'):
        check_sample_files(dataset)
