"""The main job end to end at a tiny budget: pretraining, conversion, both fine-tunes, the
table of pretrained vs random init, feature pictures and curves."""
import re

import numpy as np
import pytest
from densepre_test_helpers import run_tool
from PIL import Image


# slow: the whole demo (93 s); .ci/run runs it with the paper tests
@pytest.mark.slow
def test_demo_prints_the_table_and_draws_both_runs(samples, tmp_path):
    work = tmp_path / 'demo'
    proc = run_tool('tools/demo.py', '--work-dir', str(work), '--pretrain-epochs', '1',
                    '--seg-iters', '4', timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = dict(re.findall(r'^\| (PixPro|random init) \| ([\d.]+) \| [\d.]+ \|$', proc.stdout,
                           re.M))
    assert set(rows) == {'PixPro', 'random init'}
    assert all(0 <= float(v) <= 100 for v in rows.values())
    curves = np.asarray(Image.open(work / 'pictures' / 'curves_segmentation.png').convert('RGB'))
    for colour in ((31, 119, 180), (255, 127, 14)):  # one line per run
        assert (np.abs(curves.astype(int) - colour).sum(-1) < 30).sum() > 20
    assert (work / 'pictures' / 'features_pixpro.png').exists()
