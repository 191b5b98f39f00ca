#!/usr/bin/env bash
# Installs every Debian package vqsearch needs to build, test, benchmark and build its
# datasets. Idempotent: packages already present are left alone, so it is safe to rerun.
# Usage: sudo bash scripts/install_deps.sh   (or as root)
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  libopenblas-dev libhdf5-dev libabsl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # the sanitizer and fuzz builds of CI (scripts/test_sanitizers.sh): clang, its OpenMP,
  # ASan / UBSan / libFuzzer runtimes, and llvm-symbolizer for readable reports
  clang libomp-dev libclang-rt-14-dev libfuzzer-14-dev llvm
  # Python bindings and tests (Debian's /usr/bin/python3, never PyPI)
  python3-dev pybind11-dev python3-numpy python3-pytest
  # the word-vector builder's tests (tests/python/test_benchmark_tools.py)
  python3-scipy
  # vqsearch.distributed (sharding over Dask) and its tests (tests/python/test_distributed.py)
  python3-dask python3-distributed
  # datasets, plots and baselines
  dataset-fashion-mnist python3-h5py python3-matplotlib python3-hnswlib
  # the wheel (scripts/build_wheel.sh, tests/python/test_wheel.py)
  python3-pip python3-setuptools python3-wheel python3-venv
  # ann-benchmarks' own runner (bench/ann_benchmarks/run.sh): what its run.py, plot.py and
  # its FAISS module import
  python3-colors python3-docker python3-yaml python3-psutil python3-sklearn python3-jinja2
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "install_deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install_deps: done"
