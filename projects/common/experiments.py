"""Result tables that are always printed from runs of the current code and config.

A run's work dir holds ``run_key.txt``: a hash of the merged config, the command-line
options and the code (the git tree of ``projects/`` and ``configs/`` as they are on disk,
committed or not: the same files give the same key).
A table command reuses a run only when its key matches and its result file exists, so a
code or config change reruns it; ``--force`` reruns everything.
"""
import hashlib
import os
import os.path as osp
import statistics
import subprocess
import sys
import tempfile
from typing import Callable, Sequence

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CODE_PATHS = ('projects', 'configs')


def code_version() -> str:
    """Git tree hashes of ``CODE_PATHS`` as they are on disk (tracked and untracked files,
    ignoring what .gitignore ignores), built in a scratch index: committing does not change
    it, editing does ('no-git' outside a checkout)."""
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, GIT_INDEX_FILE=osp.join(scratch, 'index'))

        def git(*args):
            return subprocess.run(['git', *args], cwd=ROOT, capture_output=True, text=True,
                                  check=True, env=env).stdout.strip()
        try:
            git('read-tree', 'HEAD')
            git('add', '-A', '--', *CODE_PATHS)
            tree = git('write-tree')
            trees = [git('rev-parse', f'{tree}:{p}') for p in CODE_PATHS]
        except (OSError, subprocess.CalledProcessError):
            return 'no-git'
    return hashlib.sha1('\n'.join(trees).encode()).hexdigest()[:12]


def run_key(config: str, options: Sequence[str] = (), code: str = None) -> str:
    """Hash of the config as mmengine merges it, the options and the code version."""
    from mmengine.config import Config
    text = Config.fromfile(osp.join(ROOT, config)).pretty_text
    parts = [text, *options, code or code_version()]
    return hashlib.sha1('\n'.join(parts).encode()).hexdigest()[:16]


def cached_run(work_dir: str, key: str, result_file: str, produce: Callable[[], None],
               force: bool = False) -> str:
    """Run ``produce`` unless ``work_dir`` holds ``result_file`` made under ``key``; return
    the result file's path. Stale runs are announced, then rerun."""
    work_dir = osp.join(ROOT, work_dir)
    key_file, result = osp.join(work_dir, 'run_key.txt'), osp.join(work_dir, result_file)
    old = open(key_file).read().strip() if osp.isfile(key_file) else None
    if not force and old == key and osp.isfile(result):
        print(f'reusing {osp.relpath(work_dir, ROOT)} (run key {key})', flush=True)
        return result
    if old is not None:
        print(f'rerunning {osp.relpath(work_dir, ROOT)}: '
              + ('--force' if force and old == key else 'code or config changed'), flush=True)
    if osp.isfile(key_file):
        os.remove(key_file)  # a run that fails half-way is not reused
    produce()
    if not osp.isfile(result):
        raise FileNotFoundError(f'{result}: the run finished without writing it')
    os.makedirs(work_dir, exist_ok=True)
    with open(key_file, 'w') as f:
        f.write(key + '\n')
    return result


def run_script(*args, quiet: bool = False) -> None:
    """Run a repository script (``tools/train.py ...``) with this interpreter from the
    repository root, echoing the command; a failure raises ``CalledProcessError``."""
    print('$ ' + ' '.join(args), flush=True)
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL if quiet else None)


def mean_std(values: Sequence[float]) -> str:
    """'mean ± sample std' with 2 decimals (± 0.00 for one value)."""
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return f'{statistics.mean(values):.2f} ± {spread:.2f}'


def per_seed(values: Sequence[float], sep: str = ' / ') -> str:
    return sep.join(f'{v:.2f}' for v in values)
