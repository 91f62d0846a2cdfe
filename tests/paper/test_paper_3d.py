"""3-D paper configs on their miniatures: FAC on ScanNet v2 (raw scans through
scannet_export.py, mmdet3d's create_data.py and the superpoint export) and SemanticKITTI
(mmdet3d's converter): pretraining, then the random-init and FAC-initialised MinkUNet
fine-tunes, ScanNet's also on an official limited-scene list with an official
limited-annotation file; point distillation on ModelNet40 (pretraining, then the
classifiers from random init and from its weights), the ScanObjectNN classifiers after
tools/data/scanobjectnn_to_folder.py, and ShapeNet-55 pretraining as Point-BERT ships it."""
import glob
import os.path as osp
import time

import pytest

from densepre_test_helpers import run_tool
from paper_helpers import (MINIATURES, make_miniature, miniature_options, record_time,
                           run_test, run_train, train_log)

pytestmark = pytest.mark.paper

FAC = {'scannet': 'configs/fac/fac_spunet_8xb4-coslr-100e_scannet-seg.py',
       'semantickitti': 'configs/fac/fac_spunet_8xb4-coslr-100e_semantickitti.py'}
DISTILL = 'configs/point_distill/pointdistill_pointvit_8xb8-300e_modelnet40.py'


def _pretrain_and_convert(config, work, *options) -> str:
    record_time(config, run_train(config, work, *options))
    log = train_log(work)
    assert 'loss' in log and 'Saving checkpoint' in log
    backbone = str(work / 'backbone.pth')
    with open(work / 'last_checkpoint') as f:
        out = run_tool('tools/convert_checkpoint.py', f.read().strip(), backbone)
    assert out.returncode == 0, out.stderr[-3000:]
    return backbone


def _fac_backbone(dataset, tmp_path_factory, batch_size):
    make_miniature(dataset)
    work = tmp_path_factory.mktemp(f'fac_{dataset}')
    return _pretrain_and_convert(FAC[dataset], work,
                                 f'train_dataloader.batch_size={batch_size}',
                                 'train_cfg.max_epochs=1')


@pytest.fixture(scope='module')
def fac_semantickitti(tmp_path_factory):
    return _fac_backbone('semantickitti', tmp_path_factory, 1)  # 2 scans: 2 iterations


@pytest.fixture(scope='module')
def fac_scannet(tmp_path_factory):
    return _fac_backbone('scannet', tmp_path_factory, 2)  # 4 scenes: 2 iterations


@pytest.fixture(scope='module')
def distill_backbone(tmp_path_factory):
    make_miniature('modelnet40')
    work = tmp_path_factory.mktemp('distill_mn40')
    # 12 training objects, batch 4: 3 iterations
    return _pretrain_and_convert(DISTILL, work, 'train_dataloader.batch_size=4',
                                 'train_cfg.max_epochs=1')


def _finetune_and_test(config, work, init, keys, *options, record=True):
    seconds = run_train(config, work, 'train_cfg.max_epochs=1', 'train_cfg.val_begin=1000',
                        *options, *init)
    log = train_log(work)
    assert 'missing keys in source state_dict' not in log, log[-3000:]
    t0 = time.time()
    metrics = run_test(config, work / 'epoch_1.pth', work / 'test', *options)
    if record:
        record_time(config, seconds + time.time() - t0)
    for key, high in keys:
        assert 0 <= metrics[key] <= high, (key, metrics)
    return log


@pytest.mark.parametrize('dataset', ['scannet', 'semantickitti'])
def test_fac_pretraining(dataset, request):
    assert osp.isfile(request.getfixturevalue(f'fac_{dataset}'))


FAC_FINETUNES = ['spunet_minkunet_8xb2-100e_scannet-seg.py',
                 'spunet_minkunet_8xb2-100e_scannet-seg_fac.py',
                 'spunet_minkunet_8xb2-50e_semantickitti.py',
                 'spunet_minkunet_8xb2-50e_semantickitti_fac.py']


@pytest.mark.parametrize('name', FAC_FINETUNES)
def test_fac_finetune(name, request, tmp_path):
    backbone = request.getfixturevalue('fac_scannet' if 'scannet' in name
                                       else 'fac_semantickitti')
    init = [f'model.backbone.init_cfg.checkpoint={backbone}'] if name.endswith('_fac.py') \
        else []
    log = _finetune_and_test(f'configs/fac/downstream/{name}', tmp_path, init,
                             (('miou', 1), ('acc', 1)), 'train_dataloader.batch_size=1')
    assert (f'load model from: {backbone}' in log) == bool(init)


def test_fac_scannet_finetune_on_official_limited_lists(tmp_path):
    """tasks/scenes/10.txt (2 of the 4 scenes) and tasks/points/points20."""
    make_miniature('scannet')
    root = osp.join(MINIATURES, 'scannet')
    name = 'spunet_minkunet_8xb2-100e_scannet-seg.py'
    log = _finetune_and_test(f'configs/fac/downstream/{name}', tmp_path, [],
                             (('miou', 1), ('acc', 1)), 'train_dataloader.batch_size=1',
                             'train_dataloader.dataset.scene_list=tasks/scenes/10.txt',
                             'train_dataloader.dataset.pipeline.3.annotation_file='
                             f'{root}/tasks/points/points20', record=False)
    assert 'Epoch(train) [1][2/2]' in log


def test_point_distill_modelnet40_pretraining(distill_backbone):
    assert osp.isfile(distill_backbone)


@pytest.mark.parametrize('name', ['pointvit_cls_8xb4-300e_modelnet40.py',
                                  'pointvit_cls_8xb4-300e_modelnet40_pretrained.py'])
def test_point_distill_modelnet40_classifier(name, distill_backbone, tmp_path):
    init = ([f'model.backbone.init_cfg.checkpoint={distill_backbone}']
            if 'pretrained' in name else [])
    log = _finetune_and_test(f'configs/point_distill/downstream/{name}', tmp_path, init,
                             (('accuracy/top1', 100), ), 'train_dataloader.batch_size=4')
    assert (f'load model from: {distill_backbone}' in log) == bool(init)


# ScanObjectNN's three variants: (h5 folder, h5 variant, folder the config reads)
VARIANTS = {
    'pointvit_cls_8xb4-300e_scanobjectnn.py': ('main_split',
                                               'objectdataset_augmentedrot_scale75',
                                               'pb_t50_rs'),
    'pointvit_cls_8xb4-300e_scanobjectnn-objbg.py': ('main_split', 'objectdataset', 'obj_bg'),
    'pointvit_cls_8xb4-300e_scanobjectnn-objonly.py': ('main_split_nobg', 'objectdataset',
                                                       'obj_only'),
}


@pytest.mark.parametrize('name', sorted(VARIANTS))
def test_point_distill_scanobjectnn_classifier(name, tmp_path):
    make_miniature('scanobjectnn')
    root = osp.join(MINIATURES, 'scanobjectnn')
    folder, variant, out_dir = VARIANTS[name]
    out = run_tool('tools/data/scanobjectnn_to_folder.py', osp.join(root, folder),
                   '--variant', variant, '--out', osp.join(root, out_dir))
    assert out.returncode == 0, out.stderr[-2000:]
    _finetune_and_test(f'configs/point_distill/downstream/{name}', tmp_path, [],
                       (('accuracy/top1', 100), ), 'train_dataloader.batch_size=4')


def test_point_distill_shapenet55_pretraining(tmp_path):
    make_miniature('shapenet55')
    config = 'configs/point_distill/pointdistill_pointvit_8xb8-300e_shapenet55.py'
    # 12 training shapes, batch 4: 3 iterations; the converted weights fit the classifier
    backbone = _pretrain_and_convert(config, tmp_path, 'train_dataloader.batch_size=4',
                                     'train_cfg.max_epochs=1')
    out = run_tool('tools/convert_checkpoint.py', str(tmp_path / 'epoch_1.pth'), backbone,
                   '--check-config', 'configs/point_distill/downstream/'
                   'pointvit_cls_8xb4-300e_modelnet40_pretrained.py')
    assert out.returncode == 0 and 'missing keys (0)' in out.stdout, out.stdout[-2000:]


def test_point_distill_modelnet40_fewshot(distill_backbone, tmp_path):
    """Episodes from the miniature (2-way 2-shot, 1 query, 2 folds), then
    tools/analysis/point_fewshot.py fine-tunes each fold from the pretraining and prints
    mean ± std."""
    root = osp.join(MINIATURES, 'modelnet40_normal_resampled')
    out = run_tool('tools/data/modelnet_fewshot.py', root, '--ways', '2', '--shots', '2',
                   '--query', '1', '--folds', '2')
    assert out.returncode == 0, out.stderr[-2000:]
    config = 'configs/point_distill/downstream/pointvit_cls_8xb4-150e_modelnet40-fewshot.py'
    t0 = time.time()
    out = run_tool('tools/analysis/point_fewshot.py', config, '--checkpoint', distill_backbone,
                   '--ways', '2', '--shots', '2', '--folds', '2', '--work-dir',
                   str(tmp_path), '--cfg-options', *miniature_options(config),
                   'train_cfg.max_epochs=1', 'train_dataloader.batch_size=4',
                   'train_cfg.val_begin=1000', timeout=1800)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    record_time(config, (time.time() - t0) / 2)  # a fold
    row = next(line for line in out.stdout.splitlines() if line.startswith('| 2-way 2-shot'))
    per_fold = [float(v) for v in row.split('|')[3].split('/')]
    assert len(per_fold) == 2 and all(v in (0, 50, 100) for v in per_fold), row
    logs = glob.glob(str(tmp_path / 'pretrained' / '2way2shot' / '0' / '*' / '*.log'))
    assert any(f'load model from: {distill_backbone}' in open(p).read() for p in logs)
