"""Checkpoints load with weights_only=True: a malicious pickle runs nothing and is refused with
one line naming the file and --unsafe-load; the suite's own checkpoints (message hub, RNG
states) still resume; truncated files are named."""
import os
import os.path as osp
from collections import OrderedDict

import numpy as np
import pytest
import torch
from densepre_test_helpers import run_tool
from mmengine.logging import HistoryBuffer

from projects.common.errors import CheckpointError
from projects.common.safe_load import (UNSAFE_ENV, load_checkpoint_file, plain_history_buffers,
                                       restore_history_buffers)

TINY = 'tests/configs/pixpro_tiny_resume.py'
SEG = 'configs/pixpro/downstream/fcn_r18-d8_1xb8-300i_textures.py'


class Payload:
    """Unpickling this creates the marker file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, 'w'))


def evil_checkpoint(tmp_path):
    marker = str(tmp_path / 'code_ran')
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={'backbone.conv1.weight': torch.zeros(1)},
                    meta=dict(note=Payload(marker))), path)
    return path, marker


def test_malicious_pickle_is_refused_in_process(tmp_path, monkeypatch):
    monkeypatch.delenv(UNSAFE_ENV, raising=False)
    path, marker = evil_checkpoint(tmp_path)
    with pytest.raises(CheckpointError, match=r'evil.pth: refused to load, unpickling it could '
                       r'run code \(it holds io.open\); .* --unsafe-load'):
        load_checkpoint_file(path)
    assert not osp.exists(marker)
    monkeypatch.setenv(UNSAFE_ENV, '1')  # what --unsafe-load does
    load_checkpoint_file(path)
    assert osp.exists(marker)


@pytest.mark.parametrize('tool', ['test', 'resume', 'init', 'convert'])
def test_every_tool_refuses_it_with_one_line(samples, tmp_path, tool):
    path, marker = evil_checkpoint(tmp_path)
    args = {
        'test': ['tools/test.py', SEG, path, '--work-dir', str(tmp_path / 'w')],
        'resume': ['tools/train.py', TINY, '--resume', path, '--work-dir', str(tmp_path / 'w')],
        'init': ['tools/train.py', TINY, '--work-dir', str(tmp_path / 'w'), '--cfg-options',
                 'model.backbone.init_cfg.type=Pretrained',
                 f'model.backbone.init_cfg.checkpoint={path}'],
        'convert': ['tools/convert_checkpoint.py', path, str(tmp_path / 'b.pth')],
    }[tool]
    proc = run_tool(*args, env={UNSAFE_ENV: ''})
    assert proc.returncode == 1, proc.stderr[-2000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f'error: {path}: refused to load') and '--unsafe-load' in last
    assert not osp.exists(marker)


def test_history_buffers_round_trip_as_plain_data():
    buffer = HistoryBuffer([1.0, 2.5], [1, 2], max_length=7)
    hub = OrderedDict(log_scalars=OrderedDict({'train/loss': buffer}))  # MessageHub.state_dict
    plain = plain_history_buffers(dict(message_hub=hub, other=[buffer]))
    assert isinstance(plain['message_hub'], OrderedDict)
    plain['log_scalars'] = plain.pop('message_hub')['log_scalars']
    assert not any(isinstance(v, HistoryBuffer) for v in plain['other'])
    back = restore_history_buffers(plain)
    for restored in (back['log_scalars']['train/loss'], back['other'][0]):
        assert isinstance(restored, HistoryBuffer) and restored.max_length == 7
        np.testing.assert_array_equal(restored.data[0], [1.0, 2.5])
        np.testing.assert_array_equal(restored.data[1], [1, 2])


def test_truncated_checkpoint_is_named(tmp_path):
    path = str(tmp_path / 'cut.pth')
    torch.save(dict(state_dict={'w': torch.zeros(100)}), path)
    with open(path, 'r+b') as f:
        f.truncate(os.path.getsize(path) // 2)
    with pytest.raises(CheckpointError, match=r'cut.pth: not a readable checkpoint'):
        load_checkpoint_file(path)


def test_pretrained_init_that_fits_nothing_stops(samples, tmp_path):
    """A pretraining checkpoint where the converted backbone belongs (keys 'backbone.*'):
    one line with the share of weights it fits and the fix."""
    from mmpretrain.models import ResNet
    backbone = ResNet(depth=18, out_indices=(3, ))
    path = str(tmp_path / 'epoch_20.pth')
    torch.save(dict(state_dict={f'backbone.{k}': v for k, v in backbone.state_dict().items()}),
               path)
    proc = run_tool('tools/train.py', TINY, '--work-dir', str(tmp_path / 'w'), '--cfg-options',
                    'model.backbone.init_cfg.type=Pretrained',
                    f'model.backbone.init_cfg.checkpoint={path}')
    assert proc.returncode == 1, proc.stderr[-2000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f'error: {path}: fits 0 of the ') and '(0%)' in last
    assert last.endswith('tools/convert_checkpoint.py SRC DST')
    converted = str(tmp_path / 'backbone.pth')  # the fix: the same weights, prefix removed
    torch.save(dict(state_dict=backbone.state_dict()), converted)
    proc = run_tool('tools/train.py', TINY, '--work-dir', str(tmp_path / 'w'), '--cfg-options',
                    'model.backbone.init_cfg.type=Pretrained',
                    f'model.backbone.init_cfg.checkpoint={converted}',
                    'train_cfg.max_epochs=1')
    assert proc.returncode == 0, proc.stderr[-2000:]
