"""Test-only pieces imported by tests/configs (through custom_imports)."""
import os.path as osp

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module(force=True)
class DumpParamsHook(Hook):
    """Every rank saves its weights before (params_init_rank{r}.pt) and after training
    (params_rank{r}.pt) in the work dir."""

    @staticmethod
    def _dump(runner, name):
        model = runner.model.module if hasattr(runner.model, 'module') else runner.model
        params = {k: v.detach().clone() for k, v in model.state_dict().items()}
        torch.save(params, osp.join(runner.work_dir, f'{name}_rank{get_rank()}.pt'))

    def before_train(self, runner):
        self._dump(runner, 'params_init')

    def after_train(self, runner):
        self._dump(runner, 'params')
