"""tools/analysis/seed_table.py: runs every (row, seed), prints the README table, reuses
finished runs made by the same code and config."""
import re

import pytest
from densepre_test_helpers import run_tool

TINY = ['--cfg-options', 'train_dataloader.dataset.indices=4', 'val_dataloader.dataset.indices=4',
        'train_cfg.val_interval=1']


def table_rows(stdout: str) -> list:
    """The table printed after the runs' own output."""
    tail = stdout.split('\nevwsss, seeds [0, 1], 1 epochs:')[-1]
    return [line for line in tail.splitlines() if line.startswith('| ')]


# slow: 4 trainings (43 s); .ci/run runs it with the paper tests
@pytest.mark.slow
def test_seed_table_prints_mean_std_per_seed_and_reuses_runs(samples, tmp_path):
    args = ['tools/analysis/seed_table.py', 'evwsss', '--seeds', '0', '1', '--epochs', '1',
            '--work-dir', str(tmp_path), *TINY]
    first = run_tool(*args)
    assert first.returncode == 0, first.stderr[-3000:]
    assert first.stdout.count('$ ') == 4  # 2 rows x 2 seeds trained
    rows = table_rows(first.stdout)
    assert rows[0] == '| model | epoch 30 | epoch 1 |'
    cell = r'(\d+\.\d\d) ± (\d+\.\d\d) \((\d+\.\d\d) / (\d+\.\d\d)\)'
    for row in rows[1:]:
        match = re.fullmatch(rf'\| .+ \| n/a \| {cell} \|', row)  # no val at epoch 30
        assert match, row
        mean, _, a, b = map(float, match.groups())
        assert abs(mean - (a + b) / 2) < 0.006
    again = run_tool(*args)
    assert again.returncode == 0 and again.stdout.count('$ ') == 0
    assert again.stdout.count('reusing') == 4
    assert table_rows(again.stdout) == rows
    # (a changed key reruns: tests/common/test_experiments.py)


def test_distill_finetune_points_only_the_pretrained_row_at_the_backbone():
    """The random-init row has no init_cfg: pointing it at the checkpoint would make an
    init_cfg without a type (the row failed to build)."""
    from mmengine.config import Config

    from tools.analysis.seed_table import PRESETS, run_options
    preset = PRESETS['distill-finetune']
    context = dict(key='k', extra=['model.backbone.init_cfg.checkpoint=backbone.pth'],
                   extra_rows=[preset['rows']['distillation with contrast']])
    for row, config in preset['rows'].items():
        cfg = Config.fromfile(config)
        options = run_options(preset, config, 0, 40, context)
        cfg.merge_from_dict(dict(o.split('=', 1) for o in options))
        init = cfg.model.backbone.get('init_cfg')
        if row == 'random init':
            assert init is None
        else:
            assert init.type == 'Pretrained' and init.checkpoint == 'backbone.pth'
