"""Every shipped config parses and names registered model types."""
import ast
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.utils import import_modules_from_strings

from densepre_test_helpers import ROOT
from projects.common.registry import get_registry

CONFIGS = sorted(p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
                 if '_base_' not in p and not osp.basename(p).startswith('_'))


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_config_parses_and_types_resolve(path):
    cfg = Config.fromfile(path)
    import_modules_from_strings(**cfg.custom_imports)
    scope = cfg.default_scope
    with DefaultScope.overwrite_default_scope(scope):
        models = get_registry(scope)
        assert models.get(cfg.model.type) is not None, cfg.model.type
        if 'backbone' in cfg.model:  # (EV-WSSS builds its own students)
            assert models.get(cfg.model.backbone.type) is not None, cfg.model.backbone.type
    assert cfg.train_dataloader.dataset.type


def test_there_are_configs():
    assert len(CONFIGS) >= 14


RUNTIMES = {'pretrain_runtime.py', 'seg_runtime.py', 'seg3d_runtime.py', 'det3d_runtime.py',
            'cls_runtime.py'}


def base_chain(path):
    """Every file a config inherits from, depth first (``mmX::`` entries as they are)."""
    tree = ast.parse(open(path).read())
    bases = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == '_base_'
                                                for t in node.targets):
            value = ast.literal_eval(node.value)
            bases = [value] if isinstance(value, str) else list(value)
    chain = []
    for base in bases:
        if '::' in base:
            chain.append(base)
        else:
            full = osp.normpath(osp.join(osp.dirname(path), base))
            chain += [full] + base_chain(full)
    return chain


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_config_starts_from_one_runtime_base(path):
    """A runtime of configs/_base_ (the suite's hooks, default scope) or a library's own full
    config (which brings its runtime); not both, and not the bare default_runtime.py."""
    chain = base_chain(path)
    ours = {osp.basename(p) for p in chain if osp.basename(p) in RUNTIMES}
    library = [p for p in chain if '::' in p and '_base_/' not in p]  # not its dataset parts
    assert len(ours) + bool(library) == 1, (ours, library)


def test_event_bins_equal_the_students_input_channels():
    for path in glob.glob(osp.join(ROOT, 'configs', 'evwsss', '*.py')):
        cfg = Config.fromfile(path)
        windows = [t for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')
                   for t in cfg[loader].dataset.pipeline if t.type == 'LoadEventSequence']
        assert windows and all(t.bins == cfg.model.in_channels for t in windows), path


@pytest.mark.parametrize('dataset', ['levir', 'whu'])
@pytest.mark.parametrize('ratio', [5, 10, 20, 40])
@pytest.mark.parametrize('method', ['semicd-vl', 'fixmatch'])
def test_semicd_configs_for_every_ratio_and_dataset(method, ratio, dataset):
    """Each (method, ratio, dataset) reads its own split lists from its dataset's root, and
    only FixMatch drops the vision-language terms."""
    cfg = Config.fromfile(f'configs/semicd_vl/{method}_r50-lighthead_1xb8-80e_{dataset}-cd-'
                          f'{ratio}pct.py')
    semi = cfg.train_dataloader.dataset
    assert semi.labeled.ann_file == f'splits/{ratio}%/labeled.txt'
    assert semi.unlabeled.ann_file == f'splits/{ratio}%/unlabeled.txt'
    roots = {semi.labeled.data_root, semi.unlabeled.data_root,
             cfg.val_dataloader.dataset.data_root, cfg.test_dataloader.dataset.data_root}
    assert roots == {f'data/{dataset}_cd'}
    assert cfg.test_dataloader.dataset.ann_file == 'splits/test.txt'
    fixmatch = method == 'fixmatch'
    assert (cfg.model.contrast_weight == 0.0) == fixmatch
    assert (cfg.model.auxiliary_head is None) == fixmatch
