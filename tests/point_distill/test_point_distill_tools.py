"""Distillation with contrast through the tools: pretrain, linear SVM, fine-tune, test."""
import json

import numpy as np
import pytest
from densepre_test_helpers import run_tool

from projects.common.errors import SampleFileError

PRETRAIN = 'configs/point_distill/pointdistill_pointvit-tiny_1xb32-60e_objects-demo.py'
CLS = 'configs/point_distill/downstream/pointvit-tiny_cls_1xb32-40e_objects.py'


def test_object_folder_reads_the_modelnet_layout(samples, tmp_path):
    from projects.point_distill import PointObjectFolder
    train = PointObjectFolder(f'{samples}/objects', split='train', prefix='objects',
                              suffix='.npy')
    test = PointObjectFolder(f'{samples}/objects', split='test', prefix='objects',
                             suffix='.npy')
    assert len(train.metainfo['classes']) == 11 and len(train) == 264 and len(test) == 88
    first = train.get_data_info(0)
    assert first['pts_path'].endswith('box/box_0001.npy') and first['gt_label'] == 0
    # A name in the split file whose file is missing is reported with both paths.
    (tmp_path / 'cube').mkdir()
    np.save(tmp_path / 'cube' / 'cube_0001.npy', np.random.rand(64, 3))
    (tmp_path / 'toy_shape_names.txt').write_text('cube\n')
    (tmp_path / 'toy_train.txt').write_text('cube_0001\ncube_0002\n')
    with pytest.raises(SampleFileError, match="'cube_0002' listed but .*cube_0002.npy is miss"):
        PointObjectFolder(str(tmp_path), prefix='toy', suffix='.npy')


# slow: four tools end to end (59 s); .ci/run runs it with the paper tests
@pytest.mark.slow
def test_pretrain_svm_finetune_evaluate(samples, tmp_path):
    pre = tmp_path / 'pre'
    res = run_tool('tools/train.py', PRETRAIN, '--work-dir', str(pre), '--cfg-options',
                   'train_cfg.max_epochs=1', 'train_dataloader.dataset.indices=64')
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'loss_dino' in res.stdout + res.stderr and 'loss_contrast' in res.stdout + res.stderr
    out, plot = tmp_path / 'svm.json', tmp_path / 'pca.png'
    res = run_tool('tools/analysis/point_svm.py', CLS, '--checkpoint', str(pre / 'epoch_1.pth'),
                   '--out', str(out), '--plot', str(plot))
    assert res.returncode == 0, res.stderr[-3000:]
    rows = json.loads(out.read_text())['rows']
    assert [r[0] for r in rows] == ['random init', 'pretrained']
    assert all(100 / 11 < r[2] <= 100 for r in rows)  # both above chance (11 classes)
    assert plot.stat().st_size > 10000
    backbone = tmp_path / 'backbone.pth'
    res = run_tool('tools/convert_checkpoint.py', str(pre / 'epoch_1.pth'), str(backbone),
                   '--check-config', CLS)
    assert res.returncode == 0 and 'missing keys (0)' in res.stdout, res.stderr[-2000:]
    cls = tmp_path / 'cls'
    res = run_tool('tools/train.py', CLS.replace('.py', '_pretrained.py'), '--work-dir',
                   str(cls), '--cfg-options', f'model.backbone.init_cfg.checkpoint={backbone}',
                   'train_cfg.max_epochs=1', 'train_cfg.val_interval=1')
    assert res.returncode == 0, res.stderr[-3000:]
    assert f'load model from: {backbone}' in res.stdout + res.stderr
    metrics = tmp_path / 'metrics.json'
    res = run_tool('tools/test.py', CLS, str(cls / 'epoch_1.pth'), '--work-dir', str(cls),
                   '--out', str(metrics))
    assert res.returncode == 0, res.stderr[-3000:]
    result = json.loads(metrics.read_text())
    assert 0 <= result['accuracy/top1'] <= 100
    assert len(result['single-label/recall_classwise']) == 11


def test_scanobjectnn_converter_writes_the_folder_layout(tmp_path):
    import h5py

    from projects.point_distill import PointObjectFolder
    rng = np.random.default_rng(0)
    for prefix, labels in (('training', [0, 4, 4]), ('test', [14])):
        with h5py.File(tmp_path / f'{prefix}_objectdataset.h5', 'w') as f:
            f['data'] = rng.random((len(labels), 2048, 3)).astype(np.float32)
            f['label'] = np.array(labels)
    out = tmp_path / 'folder'
    res = run_tool('tools/data/scanobjectnn_to_folder.py', str(tmp_path), '--variant',
                   'objectdataset', '--out', str(out))
    assert res.returncode == 0, res.stderr[-2000:]
    train = PointObjectFolder(str(out), split='train', prefix='scanobjectnn', suffix='.npy')
    assert [d['gt_label'] for d in train] == [0, 4, 4]
    assert [d['pts_path'].split('/')[-1] for d in train] == ['bag_0001.npy', 'chair_0001.npy',
                                                             'chair_0002.npy']
    test = PointObjectFolder(str(out), split='test', prefix='scanobjectnn', suffix='.npy')
    assert test.get_data_info(0)['gt_label'] == 14
    with h5py.File(tmp_path / 'training_objectdataset.h5', 'w') as f:
        f['data'] = rng.random((1, 2048, 3)).astype(np.float32)
        f['label'] = np.array([15])
    res = run_tool('tools/data/scanobjectnn_to_folder.py', str(tmp_path), '--variant',
                   'objectdataset', '--out', str(out))
    assert res.returncode == 1 and 'object 0 has label 15, expected 0..14' in res.stderr
    with h5py.File(tmp_path / 'training_objectdataset.h5', 'w') as f:  # no labels
        f['data'] = rng.random((1, 2048, 3)).astype(np.float32)
    res = run_tool('tools/data/scanobjectnn_to_folder.py', str(tmp_path), '--variant',
                   'objectdataset', '--out', str(out))
    assert res.returncode == 1 and res.stderr.strip().splitlines()[-1] == (
        f'error: {tmp_path}/training_objectdataset.h5: expected datasets "data" and "label"')


def test_shapenet55_lists_point_berts_files_and_names_a_missing_one(tmp_path):
    from projects.point_distill import ShapeNet55Points
    (tmp_path / 'shapenet_pc').mkdir()
    (tmp_path / 'ShapeNet-55').mkdir()
    names = ['02691156-aa.npy', '03001627-bb.npy', '02691156-cc.npy']
    for name in names:
        np.save(tmp_path / 'shapenet_pc' / name, np.zeros((8192, 3), np.float32))
    (tmp_path / 'ShapeNet-55' / 'train.txt').write_text('\n'.join(names) + '\n')
    ds = ShapeNet55Points(str(tmp_path), split='train')
    assert [d['gt_label'] for d in ds] == [0, 1, 0]  # synsets in sorted order
    (tmp_path / 'shapenet_pc' / names[1]).unlink()
    with pytest.raises(SampleFileError, match=r"train.txt: '03001627-bb.npy' listed but "
                                              r'.*shapenet_pc/03001627-bb.npy is missing'):
        ShapeNet55Points(str(tmp_path), split='train')


def test_fewshot_episodes_and_their_dataset(samples, tmp_path):
    """N distinct classes; K support objects each from the train split and Q queries from
    the test split, disjoint; the same seed draws the same folds; the dataset labels an
    episode's objects by the episode's class order."""
    from projects.point_distill import PointObjectFolder
    from tools.data.modelnet_fewshot import by_class, episodes
    root = f'{samples}/objects'
    train, test = by_class(f'{root}/objects_train.txt'), by_class(f'{root}/objects_test.txt')
    folds = episodes(train, test, ways=5, shots=4, query=3, folds=3, seed=0)
    assert folds == episodes(train, test, ways=5, shots=4, query=3, folds=3, seed=0)
    assert folds != episodes(train, test, ways=5, shots=4, query=3, folds=3, seed=1)
    for fold in folds:
        classes = fold['classes']
        assert len(set(classes)) == 5
        for split, count, pool in (('train', 4, train), ('test', 3, test)):
            names = fold[split]
            assert len(names) == len(set(names)) == 5 * count
            for c in classes:
                members = [n for n in names if n.rsplit('_', 1)[0] == c]
                assert len(members) == count and set(members) <= set(pool[c])
    with pytest.raises(SampleFileError, match='12-way 4-shot needs 12 classes .* only 11'):
        episodes(train, test, ways=12, shots=4, query=3, folds=1, seed=0)
    episode = tmp_path / 'fold.json'
    episode.write_text(json.dumps(folds[0]))
    for split, count in (('train', 20), ('test', 15)):
        data = PointObjectFolder(root, split=split, prefix='objects', suffix='.npy',
                                 episode=str(episode))
        assert data.metainfo['classes'] == folds[0]['classes'] and len(data) == count
        for i in range(count):
            info = data.get_data_info(i)
            cls = folds[0]['classes'][info['gt_label']]
            assert info['pts_path'].endswith(f'/{cls}/{folds[0][split][i]}.npy')
    episode.write_text('[1, 2]')
    with pytest.raises(SampleFileError, match='fold.json: expected a JSON object with'):
        PointObjectFolder(root, prefix='objects', suffix='.npy', episode=str(episode))
