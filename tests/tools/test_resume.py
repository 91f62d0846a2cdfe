"""What survives a failure: a full disk while saving, and resuming with a changed config.
(Kill -9 and --resume per method: test_tools.py for PixPro, test_kill_resume.py for the rest.)"""
import glob
import os.path as osp

from densepre_test_helpers import TOOL_PATH, run_tool

TINY = 'tests/configs/pixpro_tiny_resume.py'

# Makes the write of epoch_2.pth fail as on a full disk (os.fsync of its temporary file).
FULL_DISK = '''
import errno, os
_fsync = os.fsync
def fsync(fd):
    if os.path.basename(os.readlink(f'/proc/self/fd/{fd}')).startswith('.epoch_2.pth.'):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return _fsync(fd)
os.fsync = fsync
'''


def test_full_disk_while_saving_keeps_the_last_good_checkpoint(samples, tmp_path):
    inject = tmp_path / 'inject'
    inject.mkdir()
    (inject / 'sitecustomize.py').write_text(FULL_DISK)
    work = tmp_path / 'work'
    res = run_tool('tools/train.py', TINY, '--work-dir', str(work),
                   env=dict(PYTHONPATH=f'{inject}:{TOOL_PATH}'))
    assert res.returncode == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith('error:')]
    assert errors == [f'error: {work}/epoch_2.pth: could not be written (No space left on '
                      'device); nothing was replaced, so the previous file and earlier '
                      'checkpoints are intact (--resume continues from the last one)'], \
        res.stderr[-2000:]
    assert 'Traceback' not in res.stderr
    assert sorted(osp.basename(p) for p in glob.glob(f'{work}/*.pth')) == ['epoch_1.pth']
    assert not glob.glob(f'{work}/.*.tmp')  # the partial file is gone
    assert (work / 'last_checkpoint').read_text().endswith('epoch_1.pth')

    # A changed model cannot continue the run: one line, and nothing is written.
    res = run_tool('tools/train.py', TINY, '--work-dir', str(work), '--resume',
                   '--cfg-options', 'model.neck.out_channels=64', 'model.head.channels=64')
    assert res.returncode == 1 and 'Traceback' not in res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith('error:')]
    assert len(errors) == 1, res.stderr[-2000:]
    assert errors[0].startswith(f'error: {work}/epoch_1.pth: cannot resume with this config: '
                                'its weights do not fit (size mismatch for neck.')
    assert 'resume with the config the run was trained with' in errors[0]
    assert sorted(osp.basename(p) for p in glob.glob(f'{work}/*.pth')) == ['epoch_1.pth']

    # A change that can continue (the lr) resumes, and the log says what changed.
    changed = run_tool('tools/train.py', TINY, '--work-dir', str(tmp_path / 'lr'), '--resume',
                       str(work / 'epoch_1.pth'), '--cfg-options',
                       'optim_wrapper.optimizer.lr=0.05', 'train_cfg.max_epochs=2')
    assert changed.returncode == 0, changed.stderr[-2000:]
    assert 'with a changed config: optim_wrapper, train_cfg differ from the checkpoint' in \
        changed.stdout + changed.stderr

    # The last good checkpoint resumes with the config it was trained with.
    res = run_tool('tools/train.py', TINY, '--work-dir', str(work), '--resume')
    assert res.returncode == 0, res.stderr[-2000:]
    assert osp.isfile(work / 'epoch_3.pth')
