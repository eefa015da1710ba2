#!/usr/bin/env bash
# The benchmark command (`make bench`): set up the virtual environment, build the bundle (timed),
# run every benchmark in benchmarks/ and print one table of ratios against baselines measured
# in the same run; writes benchmarks/results.md and benchmarks/results.json.
#   scripts/bench.sh                    everything (about 5 minutes on 2 cores)
#   scripts/bench.sh --quick            tiny sizes: checks that every benchmark still runs
#   scripts/bench.sh --only startup,gui_lag
# Other options: .venv/bin/python -m benchmarks.run_all --help
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/bootstrap.sh dev
venv="$root/${VIVA_VENV:-.venv}"

# Offscreen Qt, and a private home: the benchmarks never touch the user's settings or store.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/viva-bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data"
export XDG_CACHE_HOME="$scratch/cache" XDG_STATE_HOME="$scratch/state"
export QT_QPA_PLATFORM=offscreen PYINSTALLER_CONFIG_DIR="$root/build/pyinstaller-config"
unset SENTRY_DSN || true

build=(--build-bundle)
for arg in "$@"; do
    case "$arg" in --quick|--only|--only=*|--bundle|--bundle=*) build=() ;; esac
done
timeout --kill-after=30 "${VIVA_BENCH_TIMEOUT:-5400}" \
    "$venv/bin/python" -m benchmarks.run_all "${build[@]}" "$@"
