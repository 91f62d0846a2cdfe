"""Every SemiCD-VL / FixMatch paper config (LEVIR-CD and WHU-CD, 5 / 10 / 20 / 40 %) on its
miniature: one epoch through tools/train.py (with its validation), then tools/test.py on the
test split, reporting change IoU / F1."""
import glob
import os.path as osp
import time

import pytest
import torch

from densepre_test_helpers import ROOT
from paper_helpers import make_miniature, record_time, run_test, run_train, train_log

pytestmark = pytest.mark.paper

CONFIGS = sorted(osp.relpath(p, ROOT) for p in glob.glob(
    osp.join(ROOT, 'configs', 'semicd_vl', '*_r50-lighthead_1xb8-80e_*-cd-*pct.py')))


@pytest.fixture(scope='module')
def imagenet_standin(tmp_path_factory):
    """Weights for the ResNet-50 v1c the configs start from (open-mmlab://resnet50_v1c
    cannot be downloaded here): a freshly built one, saved as that file would be."""
    from mmseg.models.backbones import ResNetV1c
    path = tmp_path_factory.mktemp('imagenet') / 'resnet50_v1c.pth'
    torch.save({'state_dict': ResNetV1c(depth=50).state_dict()}, path)
    return path


def test_there_is_a_config_per_method_dataset_and_ratio():
    assert len(CONFIGS) == 16


@pytest.mark.parametrize('config', CONFIGS, ids=osp.basename)
def test_semicd_paper_config(config, imagenet_standin, tmp_path):
    dataset = 'levir-cd' if 'levir' in config else 'whu-cd'
    make_miniature(dataset)
    seconds = run_train(config, tmp_path, 'train_dataloader.batch_size=4',
                        'train_cfg.max_epochs=1',
                        f'model.backbone.init_cfg.checkpoint={imagenet_standin}')
    log = train_log(tmp_path)
    assert f'load model from: {imagenet_standin}' in log
    assert 'missing keys in source state_dict' not in log
    assert 'Epoch(val)' in log and 'IoU_changed' in log
    t0 = time.time()
    metrics = run_test(config, tmp_path / 'epoch_1.pth', tmp_path / 'test')
    record_time(config, seconds + time.time() - t0)
    for key in ('IoU_changed', 'F1_changed', 'Precision_changed', 'Recall_changed', 'OA'):
        assert 0 <= metrics[key] <= 100, (key, metrics)
