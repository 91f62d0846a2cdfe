"""plot_curves: resumed runs merge without duplicates, runs without validation still plot,
the picture holds one colour per run, bad logs give one error line."""
import json
import os

import numpy as np
from densepre_test_helpers import run_tool
from PIL import Image

from tools.analysis.plot_curves import load_run


def write_log(work_dir, stamp, records):
    folder = os.path.join(work_dir, stamp, 'vis_data')
    os.makedirs(folder)
    with open(os.path.join(folder, 'scalars.json'), 'w') as f:
        f.write(''.join(json.dumps(r) + '\n' for r in records))


def make_runs(tmp_path):
    resumed, no_val = str(tmp_path / 'resumed'), str(tmp_path / 'no_val')
    # Epoch-based, 3 iterations an epoch. Killed after iteration 6 with the epoch-1
    # checkpoint, resumed from iteration 4: iterations 4-6 are logged twice.
    write_log(resumed, '20260101_000000',
              [dict(loss=10.0 - i, epoch=(i - 1) // 3 + 1, iter=i, step=i) for i in range(1, 7)]
              + [dict(mIoU=50.0, step=1)])
    write_log(resumed, '20260101_010000',
              [dict(loss=100.0 + i, epoch=(i - 1) // 3 + 1, iter=i, step=i)
               for i in range(4, 10)] + [dict(mIoU=60.0, step=2), dict(mIoU=70.0, step=3)])
    write_log(resumed, '20260101_020000', [dict(mIoU=99.0, step=9)])  # tools/test.py
    write_log(no_val, '20260101_000000',
              [dict(loss=5.0 - 0.5 * i, iter=i, step=i) for i in range(1, 6)])
    return resumed, no_val


def test_resumed_run_is_merged_without_duplicates(tmp_path):
    resumed, no_val = make_runs(tmp_path)
    series = load_run(resumed)
    assert series['loss'] == [(1, 9.0), (2, 8.0), (3, 7.0)] + [(i, 100.0 + i) for i in range(4, 10)]
    # validation after epochs 2 and 3 (iterations 6 and 9); epoch 1's value from the first run
    assert series['mIoU'] == [(3, 50.0), (6, 60.0), (9, 70.0)]
    assert load_run(resumed, 'epoch')['mIoU'] == [(1, 50.0), (2, 60.0), (3, 70.0)]
    assert 'mIoU' not in load_run(no_val)


def test_plot_has_one_colour_per_run(tmp_path):
    resumed, no_val = make_runs(tmp_path)
    out = str(tmp_path / 'curves.png')
    proc = run_tool('tools/analysis/plot_curves.py', resumed, no_val, '--keys', 'loss', 'mIoU',
                    '--names', 'pretrained', 'scratch', '--out', out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    img = np.asarray(Image.open(out).convert('RGB')).astype(int)
    half = img.shape[1] // 2

    def has(colour, part):
        return (np.abs(part - np.array(colour)).sum(-1) < 30).sum() > 20

    blue, orange = (31, 119, 180), (255, 127, 14)  # matplotlib's C0 and C1
    assert has(blue, img[:, :half]) and has(orange, img[:, :half])  # loss: both runs
    assert has(blue, img[:, half:]) and not has(orange, img[:, half:])  # mIoU: only one


def test_bad_logs_give_one_error_line(tmp_path):
    empty = tmp_path / 'empty'
    empty.mkdir()
    proc = run_tool('tools/analysis/plot_curves.py', str(empty), '--out', str(tmp_path / 'x.png'))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f'error: {empty}: no training logs (expected <timestamp>/' \
        'vis_data/scalars.json with training lines, as tools/train.py writes)'
    broken = str(tmp_path / 'broken')
    write_log(broken, '20260101_000000', [dict(loss=1.0, iter=1, step=1)])
    with open(os.path.join(broken, '20260101_000000', 'vis_data', 'scalars.json'), 'a') as f:
        f.write('{"loss": 0.5, "iter": 2\n')
    proc = run_tool('tools/analysis/plot_curves.py', broken, '--out', str(tmp_path / 'x.png'))
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
    assert proc.stderr.startswith(f'error: {broken}/20260101_000000/vis_data/scalars.json:2: '
                                  'not a JSON log line')
    proc = run_tool('tools/analysis/plot_curves.py', make_runs(tmp_path)[1], '--keys', 'mIoU',
                    '--out', str(tmp_path / 'x.png'))
    assert proc.returncode == 1 and "no run logged 'mIoU'; logged keys: loss" in proc.stderr


def test_tensorboard_run_and_curves_of_a_real_log(samples, tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    work = str(tmp_path / 'tb')
    proc = run_tool('tools/train.py', 'tests/configs/pixpro_tiny_resume.py', '--work-dir', work,
                    '--tensorboard', '--cfg-options', 'train_cfg.max_epochs=1',
                    'default_hooks.logger.interval=2')
    assert proc.returncode == 0, proc.stderr[-2000:]
    events = [os.path.join(root, f) for root, _, files in os.walk(work) for f in files
              if f.startswith('events.out.tfevents')]
    assert len(events) == 1
    acc = EventAccumulator(events[0])
    acc.Reload()
    logged = [e.step for e in acc.Scalars('loss')]
    assert logged == [2, 4, 6, 8, 10, 12]
    # the same run's mmengine log through plot_curves
    assert [it for it, _ in load_run(work)['loss']] == logged
    out = str(tmp_path / 'curves.png')
    assert run_tool('tools/analysis/plot_curves.py', work, '--keys', 'loss', 'lr',
                    '--out', out).returncode == 0
    assert Image.open(out).size == (1000, 360)
