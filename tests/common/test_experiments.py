"""Result tables: runs are reused only under the same key; stale and forced runs rerun."""
import subprocess

import pytest

from projects.common import experiments
from projects.common.experiments import cached_run, mean_std, per_seed, run_key


def test_cached_run_reuses_only_a_finished_run_with_the_same_key(tmp_path, capsys):
    calls = []

    def produce(value='1'):
        calls.append(value)
        (tmp_path / 'run').mkdir(exist_ok=True)
        (tmp_path / 'run' / 'out.json').write_text(value)

    work = str(tmp_path / 'run')
    cached_run(work, 'k1', 'out.json', produce)
    cached_run(work, 'k1', 'out.json', produce)
    assert calls == ['1'] and 'reusing' in capsys.readouterr().out
    cached_run(work, 'k2', 'out.json', produce)             # code or config changed
    assert calls == ['1', '1'] and 'code or config changed' in capsys.readouterr().out
    cached_run(work, 'k2', 'out.json', produce, force=True)
    assert len(calls) == 3 and '--force' in capsys.readouterr().out

    def crash():
        raise RuntimeError('killed half-way')
    with pytest.raises(RuntimeError):
        cached_run(work, 'k3', 'out.json', crash)
    assert not (tmp_path / 'run' / 'run_key.txt').exists()  # never reused after a failure
    cached_run(work, 'k2', 'out.json', produce)
    assert len(calls) == 4


def test_run_key_follows_config_options_and_code():
    cfg = 'configs/pixpro/pixpro_r18_1xb16-20e_samples-demo.py'
    base = run_key(cfg, ['a=1'], code='c1')
    assert base == run_key(cfg, ['a=1'], code='c1')
    assert len({base, run_key(cfg, ['a=2'], code='c1'), run_key(cfg, ['a=1'], code='c2'),
                run_key('configs/pixpro/pixpro_r18_1xb32-40e_textures.py', ['a=1'],
                        code='c1')}) == 4


def test_code_version_follows_the_files_not_the_commits(tmp_path, monkeypatch):
    def git(*args):
        subprocess.run(['git', '-c', 'user.name=t', '-c', 'user.email=t@t', *args],
                       cwd=tmp_path, check=True, capture_output=True)
    git('init', '-q')
    for d in ('projects', 'configs'):
        (tmp_path / d).mkdir()
        (tmp_path / d / 'a.py').write_text('x = 1\n')
    (tmp_path / 'README.md').write_text('outside the code paths\n')
    git('add', '-A')
    git('commit', '-qm', 'one')
    monkeypatch.setattr(experiments, 'ROOT', str(tmp_path))
    first = experiments.code_version()
    (tmp_path / 'projects' / 'a.py').write_text('x = 2\n')
    edited = experiments.code_version()
    assert edited != first                              # an uncommitted edit counts
    git('commit', '-qam', 'two')
    assert experiments.code_version() == edited         # committing it changes nothing
    (tmp_path / 'configs' / 'new.py').write_text('y = 1\n')
    assert experiments.code_version() != edited         # an untracked file counts
    (tmp_path / 'configs' / 'new.py').unlink()
    (tmp_path / 'README.md').write_text('changed\n')
    assert experiments.code_version() == edited         # files outside the code paths do not


def test_mean_and_sample_std_by_hand():
    # 1, 2, 6: mean 3, squared deviations 4 + 1 + 9 = 14, / (3 - 1) = 7 -> std 2.6458
    assert mean_std([1.0, 2.0, 6.0]) == '3.00 ± 2.65'
    assert mean_std([4.0]) == '4.00 ± 0.00'
    assert per_seed([1.0, 2.5]) == '1.00 / 2.50'
