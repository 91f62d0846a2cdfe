"""Running a paper config on the miniature of its dataset (``tools/data/make_miniatures.py``)
through ``tools/train.py`` and ``tools/test.py``.

The only changes to a paper config are the ones the paper-path issue allows: every
data path under ``data/`` (``data_root``, ``ann_file``, a cache or segment folder) is moved to
``data/miniatures/``, loaders run in
the main process, and the caller's batch size, iteration count and (where a CPU cannot hold
them) widths, and the logger logs every iteration. Everything else (pipelines, losses,
metrics, schedules) is the paper's.
"""
import json
import os.path as osp
import subprocess
import sys
import time

from mmengine.config import Config

from densepre_test_helpers import ROOT, run_tool

MINIATURES = osp.join(ROOT, 'data', 'miniatures')
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
# config keys holding a data path (moved to the miniature when under data/)
DATA_KEYS = ('data_root', 'ann_file', 'cache_dir', 'segments_root', 'annotation_file')


def make_miniature(name: str) -> None:
    """Write a miniature once (the tool skips one already written)."""
    subprocess.run([sys.executable, osp.join(ROOT, 'tools', 'data', 'make_miniatures.py'),
                    name, '--out', MINIATURES], check=True, cwd=ROOT)


def _data_paths(node, prefix: str):
    """(key path, value) of every data path (``DATA_KEYS``) under ``data/``."""
    if isinstance(node, dict):
        for key, value in node.items():
            path = f'{prefix}.{key}' if prefix else str(key)
            if key in DATA_KEYS and isinstance(value, str) \
                    and value.startswith('data/'):
                yield path, value
            else:
                yield from _data_paths(value, path)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _data_paths(value, f'{prefix}.{i}')


def miniature_options(config: str) -> list:
    """--cfg-options moving the config's data to the miniatures and loading in-process."""
    cfg = Config.fromfile(osp.join(ROOT, config))
    options = []
    for section in LOADERS + ('val_evaluator', 'test_evaluator'):
        if section not in cfg:
            continue
        for path, value in _data_paths(cfg[section].to_dict()
                                       if hasattr(cfg[section], 'to_dict') else cfg[section],
                                       section):
            options.append(f'{path}={osp.join(MINIATURES, value[len("data/"):])}')
    for loader in LOADERS:
        if cfg.get(loader):
            options += [f'{loader}.num_workers=0', f'{loader}.persistent_workers=False']
    return options + ['default_hooks.logger.interval=1']  # every one of the few iterations


def run_train(config: str, work_dir, *options, timeout: int = 900) -> float:
    """tools/train.py on the miniature; returns its wall time (s)."""
    t0 = time.time()
    out = run_tool('tools/train.py', config, '--work-dir', str(work_dir), '--cfg-options',
                   *miniature_options(config), *options, timeout=timeout)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-5000:]
    return time.time() - t0


def run_test(config: str, checkpoint, work_dir, *options, timeout: int = 900) -> dict:
    """tools/test.py on the miniature; returns the metrics it wrote."""
    metrics = osp.join(str(work_dir), 'test_metrics.json')
    out = run_tool('tools/test.py', config, str(checkpoint), '--work-dir', str(work_dir),
                   '--out', metrics, '--cfg-options', *miniature_options(config), *options,
                   timeout=timeout)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-5000:]
    with open(metrics) as f:
        return json.load(f)


def train_log(work_dir) -> str:
    import glob
    logs = sorted(glob.glob(osp.join(str(work_dir), '*', '*.log')))
    return open(logs[-1]).read()


def record_time(name: str, seconds: float) -> None:
    """Append to data/miniatures/times.jsonl (the README's table is made from it)."""
    with open(osp.join(MINIATURES, 'times.jsonl'), 'a') as f:
        f.write(json.dumps(dict(config=name, seconds=round(seconds, 1))) + '\n')
