"""Test-only helpers: running a tool in a subprocess (``run_tool``), and the hook that
tests/configs import through ``custom_imports`` (tools run with tests/ on PYTHONPATH)."""
import glob
import json
import os
import os.path as osp
import re
import signal
import subprocess
import sys
import time

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


def run_dist_train(config, nprocs: int, port: int, *args, timeout=600):
    """tools/dist_train.sh CONFIG NPROCS ARGS (gloo on the CPU) on its own master port;
    return the CompletedProcess (text output)."""
    env = dict(os.environ, PYTHONPATH=TOOL_PATH, PYTHON=sys.executable, PORT=str(port))
    return subprocess.run(['bash', 'tools/dist_train.sh', config, str(nprocs), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def losses_by_step(work_dir) -> dict:
    """{step: loss} from every run's scalars.json under work_dir (later runs win)."""
    out = {}
    for path in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            for line in f:
                rec = json.loads(line)
                if 'loss' in rec:
                    out[rec['step']] = rec['loss']
    return out


def train_and_kill(config, work_dir, pattern: str, *cfg_options, timeout=300,
                   env=None) -> str:
    """Run tools/train.py and SIGKILL it once a log line matches ``pattern``; return the
    output seen (the process must have been killed, not have ended)."""
    args = [sys.executable, 'tools/train.py', config, '--work-dir', str(work_dir)]
    if cfg_options:
        args += ['--cfg-options', *cfg_options]
    proc = subprocess.Popen(args, cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            env=dict(os.environ, PYTHONPATH=TOOL_PATH, PYTHONUNBUFFERED='1',
                                     **(env or {})))
    seen, deadline = '', time.time() + timeout
    while time.time() < deadline:
        line = proc.stdout.readline()
        seen += line
        if re.search(pattern, line) or not line:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL and re.search(pattern, seen), seen[-3000:]
    return seen


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
