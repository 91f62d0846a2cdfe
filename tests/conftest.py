import os
import os.path as osp
import subprocess
import sys

import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)
SAMPLES = osp.join(ROOT, 'data', 'samples')
# tools see the repo and tests/ (for test-only modules named in tests/configs)
TOOL_PATH = os.pathsep.join([ROOT, osp.join(ROOT, 'tests')])


@pytest.fixture(scope='session')
def samples():
    """The bundled sample data, generated once by tools/data/make_samples.py if missing."""
    if not osp.isfile(osp.join(SAMPLES, 'bev', 'bev_infos_val.pkl')):  # written last
        subprocess.run([sys.executable, osp.join(ROOT, 'tools', 'data', 'make_samples.py'),
                        '--out', SAMPLES], check=True, cwd=ROOT)
    return SAMPLES


def run_tool(*args, timeout=600, env=None, cwd=ROOT):
    """Run a tools/ script in a subprocess; return the CompletedProcess (text output)."""
    full_env = dict(os.environ, PYTHONPATH=TOOL_PATH, PYTHONUNBUFFERED='1', **(env or {}))
    return subprocess.run([sys.executable, *args], cwd=cwd, env=full_env, timeout=timeout,
                          capture_output=True, text=True)
