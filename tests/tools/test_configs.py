"""Every shipped config parses and names registered model types."""
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
