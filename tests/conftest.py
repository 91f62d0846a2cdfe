"""Session set-up: the suite's runtime settings (as the tools apply them) and the bundled
sample data, generated once if missing."""
import os
import os.path as osp
import subprocess
import sys
import tempfile

import pytest
from densepre_test_helpers import ROOT, SAMPLES

from projects.common.runtime import setup_runtime

setup_runtime()
# the suite's own cache of checked image sizes (the tools it runs inherit it)
os.environ['DENSEPRE_CACHE_DIR'] = tempfile.mkdtemp(prefix='densepre-cache-')


@pytest.fixture(scope='session')
def samples():
    """The bundled sample data, generated once by tools/data/make_samples.py if missing."""
    if not osp.isfile(osp.join(SAMPLES, 'bev', 'bev_infos_val.pkl')):  # written last
        subprocess.run([sys.executable, osp.join(ROOT, 'tools', 'data', 'make_samples.py'),
                        '--out', SAMPLES], check=True, cwd=ROOT)
    return SAMPLES
