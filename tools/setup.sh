#!/usr/bin/env bash
# One-command set-up for the suite.
#
#   bash tools/setup.sh install   # install everything into .venv (idempotent, cached)
#   bash tools/setup.sh demo      # install, then pretrain + evaluate on the bundled samples
#   bash tools/setup.sh test      # install, then run the test suite (what .ci/run calls)
#
# Environment knobs:
#   DENSEPRE_VENV   virtual environment (default: <repo>/.venv)
#   DENSEPRE_CACHE  wheel cache for the mmcv build (default: ~/.cache/densepre)
#   PYTHON          interpreter used to create the venv (default: python3.11, else python3)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${DENSEPRE_VENV:-$ROOT/.venv}"
CACHE="${DENSEPRE_CACHE:-$HOME/.cache/densepre}"
TORCH_VERSION=2.14.1
TORCHVISION_VERSION=0.29.1
MMCV_VERSION=2.1.0
SPCONV_VERSION=2.3.8
APT_PACKAGES=(libusb-1.0-0 libvulkan1 mesa-vulkan-drivers)

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }

install_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "apt: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

has_gpu() { command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; }

make_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    local py="${PYTHON:-}"
    if [ -z "$py" ]; then py="$(command -v python3.11 || command -v python3)"; fi
    log "creating virtual environment $VENV with $py"
    "$py" -m venv "$VENV"
  fi
  PY="$VENV/bin/python"
  PIP=("$PY" -m pip install -q -c "$ROOT/requirements/constraints.txt")
}

# The spconv wheel matching this machine: CPU package, or the CUDA 12 build on a GPU machine.
spconv_package() {
  if has_gpu; then echo "spconv-cu126==$SPCONV_VERSION"; else echo "spconv==$SPCONV_VERSION"; fi
}

# mmcv 2.1.0 with compiled ops, built once per (python, torch, device) and kept in a wheel cache.
install_mmcv() {
  if "$PY" - <<EOF 2>/dev/null
import mmcv, mmcv.ops, torch
assert mmcv.__version__ == "$MMCV_VERSION"
assert torch.__version__.split("+")[0] == "$TORCH_VERSION"
EOF
  then return 0; fi
  local pytag device wheel_dir wheel
  pytag="$("$PY" -c 'import sys; print(f"py{sys.version_info[0]}{sys.version_info[1]}")')"
  if has_gpu; then device="cuda"; else device="cpu"; fi
  wheel_dir="$CACHE/wheels/$pytag-torch$TORCH_VERSION-$device"
  mkdir -p "$wheel_dir"
  wheel="$(ls "$wheel_dir"/mmcv-$MMCV_VERSION-*.whl 2>/dev/null | head -n1 || true)"
  if [ -z "$wheel" ]; then
    log "building mmcv $MMCV_VERSION with ops for $pytag/torch $TORCH_VERSION/$device (6-10 min on 2 cores, once)"
    local src
    src="$(mktemp -d)"
    "$PY" -m pip download -q --no-deps --no-build-isolation --no-binary :all: -d "$src" "mmcv==$MMCV_VERSION"
    tar -xzf "$src"/mmcv-$MMCV_VERSION.tar.gz -C "$src"
    # torch >= 2.10 headers need C++20; mmcv 2.1.0 hard-codes C++17.
    sed -i 's/-std=c++17/-std=c++20/g' "$src/mmcv-$MMCV_VERSION/setup.py"
    local force_cuda=0
    has_gpu && force_cuda=1
    (cd "$src/mmcv-$MMCV_VERSION" && MMCV_WITH_OPS=1 FORCE_CUDA=$force_cuda MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
      "$PY" -m pip wheel -q --no-build-isolation --no-deps -w "$src/out" .)
    # Atomic publish into the cache so an interrupted build never leaves a half wheel behind.
    local built
    built="$(ls "$src"/out/mmcv-*.whl)"
    cp "$built" "$wheel_dir/.tmp.whl" && mv "$wheel_dir/.tmp.whl" "$wheel_dir/$(basename "$built")"
    rm -rf "$src"
    wheel="$wheel_dir/$(basename "$built")"
  else
    log "mmcv: reusing cached wheel $wheel"
  fi
  "${PIP[@]}" --no-deps "$wheel"
}

install_all() {
  install_apt
  make_venv
  local stamp_file="$VENV/.densepre-stamp" stamp
  stamp="$(cat "$0" "$ROOT"/requirements/*.txt "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)-$(has_gpu && echo gpu || echo cpu)"
  if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ]; then
    log "environment up to date ($VENV)"
    return 0
  fi
  local t0=$SECONDS
  log "installing torch $TORCH_VERSION + torchvision $TORCHVISION_VERSION"
  "${PIP[@]}" --upgrade pip "setuptools>=77,<81" wheel ninja
  "${PIP[@]}" "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION" "numpy<2"
  install_mmcv
  log "installing OpenMMLab stack, spconv, open3d, segment-anything"
  "${PIP[@]}" -r "$ROOT/requirements/runtime.txt" -r "$ROOT/requirements/tests.txt" "$(spconv_package)"
  "${PIP[@]}" --no-deps --no-build-isolation -e "$ROOT"
  "$PY" -c "import mmcv.ops, mmseg.models, mmseg.datasets, mmdet.models, mmdet3d.models, mmpretrain.models, spconv.pytorch, open3d, segment_anything, projects.common" \
    || die "import check failed after install"
  echo "$stamp" > "$stamp_file"
  log "install finished in $((SECONDS - t0)) s"
}

cmd="${1:-install}"
shift || true
case "$cmd" in
  install)
    install_all ;;
  demo)
    install_all
    cd "$ROOT"
    exec "$PY" tools/demo.py "$@" ;;
  test)
    install_all
    cd "$ROOT"
    set +e
    "$PY" -m pytest tests "$@"
    rc=$?
    # pytest exits 5 when nothing was collected: that is a failure here.
    [ $rc -eq 5 ] && echo "no tests collected" >&2
    exit $rc ;;
  *)
    die "unknown command '$cmd' (use install, demo or test)" ;;
esac
