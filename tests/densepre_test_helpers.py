"""Test-only helpers: running a tool in a subprocess (``run_tool``), and the hook that
tests/configs import through ``custom_imports`` (tools run with tests/ on PYTHONPATH)."""
import os
import os.path as osp
import subprocess
import sys

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.registry import HOOKS

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SAMPLES = osp.join(ROOT, 'data', 'samples')
# tools import the installed package; tests/ only for the test-only modules of tests/configs
TOOL_PATH = osp.join(ROOT, 'tests')


def run_tool(*args, timeout=600, env=None, cwd=ROOT):
    """Run a tools/ script in a subprocess; return the CompletedProcess (text output)."""
    full_env = dict(os.environ, PYTHONPATH=TOOL_PATH, PYTHONUNBUFFERED='1')
    full_env.update(env or {})
    return subprocess.run([sys.executable, *args], cwd=cwd, env=full_env, timeout=timeout,
                          capture_output=True, text=True)


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
