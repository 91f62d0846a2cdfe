#!/usr/bin/env bash
# The GPU check: install the CUDA variant, run the tests on the GPU, run the GPU benchmark
# set, and write one results folder.
#
#   bash tools/gpu_check.sh [--quick] [--out DIR]
#
# On a machine with nvidia-smi, tools/setup.sh installs the CUDA variant (mmcv built with
# CUDA ops against our torch and cached by torch version, MAX_JOBS = the core count;
# spconv-cu126). --quick runs the CUDA tests (tests/gpu) and two smoke files instead of the
# whole suite and uses fewer benchmark repeats, to fit a lent GPU's 10-minute command limit
# once the mmcv build is cached. Every step has a time limit and the script goes on after a
# failing step; DIR/summary.md lists each step's status and time and the benchmark table,
# DIR/benchmarks.json holds the measurements, DIR/<step>.log the output.
# Without a GPU the same steps run on the CPU (tests/gpu skip; benchmarks at smoke sizes).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUICK=0
OUT="$ROOT/work_dirs/gpu_check"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --out) OUT="$2"; shift ;;
    *) echo "usage: bash tools/gpu_check.sh [--quick] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
export MAX_JOBS="${MAX_JOBS:-$(nproc)}" PYTHONUNBUFFERED=1
SUMMARY="$OUT/summary.md"
FAILED=0

step() {  # step NAME SECONDS COMMAND...: run with a limit, log it, add a summary row
  local name="$1" limit="$2" t0=$SECONDS rc
  shift 2
  echo "[gpu_check] $name (limit ${limit} s)" >&2
  (cd "$ROOT" && timeout "$limit" "$@") > "$OUT/$name.log" 2>&1
  rc=$?
  [ $rc -eq 0 ] || FAILED=1
  local status="ok"
  [ $rc -eq 124 ] && status="timed out"
  [ $rc -ne 0 ] && [ $rc -ne 124 ] && status="failed (exit $rc; see $name.log)"
  echo "| $name | $status | $((SECONDS - t0)) s |" >> "$SUMMARY"
  return $rc
}

{
  echo "# GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ), $( [ $QUICK -eq 1 ] && echo quick || echo full)"
  echo
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | sed 's/^/GPU: /'
  else
    echo "GPU: none (nvidia-smi not found): the steps run on the CPU"
  fi
  echo "cores: $(nproc), MAX_JOBS=$MAX_JOBS"
  echo
  echo "| step | status | time |"
  echo "|---|---|---|"
} > "$SUMMARY"

step install $([ $QUICK -eq 1 ] && echo 420 || echo 1500) bash tools/setup.sh install
PY="${DENSEPRE_VENV:-$ROOT/.venv}/bin/python"
[ -x "$PY" ] || PY="$(command -v python3)"
if [ $QUICK -eq 1 ]; then
  step tests 240 "$PY" -m pytest -q -p no:cacheprovider tests/gpu \
    tests/common/test_sparse_unet_cpu.py tests/pdbev/test_pdbev_lifting.py
else
  step tests 1800 "$PY" -m pytest -q -p no:cacheprovider tests
fi
step benchmarks $([ $QUICK -eq 1 ] && echo 300 || echo 1200) \
  bash -c "cd benchmarks && '$PY' gpu_suite.py $([ $QUICK -eq 1 ] && echo --quick) --out '$OUT/benchmarks.json'"
{
  echo
  "$PY" "$ROOT/benchmarks/gpu_suite.py" --table "$OUT/benchmarks.json" 2>/dev/null \
    || echo "(no benchmark results)"
} >> "$SUMMARY"
cat "$SUMMARY"
exit $FAILED
