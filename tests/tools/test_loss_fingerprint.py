"""loss_fingerprint gives the same numbers in two processes (so a diff between checkouts
means a real change), with the config's loss terms."""
import json

from densepre_test_helpers import run_tool

CFG = 'configs/evwsss/evwsss_e2vid-tiny_1xb4-30e_events-demo.py'


def test_fingerprint_is_repeatable(samples):
    runs = [run_tool('tools/analysis/loss_fingerprint.py', CFG) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr[-2000:]
    first, second = (json.loads(r.stdout[r.stdout.index('{'):]) for r in runs)
    assert first == second
    assert set(first[CFG]) == {'loss_point_a', 'loss_point_b'}
    assert all(v > 0 for v in first[CFG].values())
