"""Importing the suite changes no library behaviour; ``setup_runtime()`` is the one switch."""
import subprocess
import sys

PROBE = '''
import spconv.pytorch.ops as ops
from mmengine.fileio import io
from mmengine.runner.checkpoint import CheckpointLoader
original_stream = ops.get_current_stream
import projects.common, projects.common.models, projects.pixpro, projects.fac
import projects.point_distill, projects.evwsss, projects.semicd_vl, projects.pdbev
def state():
    backend = type(io.get_file_backend('/tmp/x.pth')).__name__
    loader = CheckpointLoader._schemes.get('').__module__
    return backend, loader, ops.get_current_stream is original_stream
print(state())
from projects.common.runtime import setup_runtime
setup_runtime()
print(state())
'''


def test_imports_have_no_side_effects_and_setup_runtime_switches_them_on():
    out = subprocess.run([sys.executable, '-c', PROBE], capture_output=True, text=True,
                         timeout=300, env={'CUDA_VISIBLE_DEVICES': '', 'PATH': ''})
    assert out.returncode == 0, out.stderr[-2000:]
    before, after = out.stdout.strip().splitlines()[-2:]
    assert before == "('LocalBackend', 'mmengine.runner.checkpoint', True)"
    assert after == "('AtomicLocalBackend', 'projects.common.safe_load', False)"
