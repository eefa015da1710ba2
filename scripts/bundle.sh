#!/usr/bin/env bash
# Build the one-folder PyInstaller bundle (build.spec) into dist/viva-desktop/, then prove it
# works on this machine with its own self-test (offscreen).
#   scripts/bundle.sh                      build into dist/, self-test, print size and timings
#   scripts/bundle.sh --dist D --work W    other output and work folders (the tests use these)
#   scripts/bundle.sh --no-check           build only
# PyInstaller's cache of stripped libraries lives in build/pyinstaller-config (or
# $PYINSTALLER_CONFIG_DIR), so rebuilds and test runs with a throwaway HOME stay fast.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

dist="$root/dist"
work="$root/build"
check=1
while [ $# -gt 0 ]; do
    case "$1" in
        --dist) dist=$(realpath -m "$2"); shift 2 ;;
        --work) work=$(realpath -m "$2"); shift 2 ;;
        --no-check) check=0; shift ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "bundle.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

# PyInstaller reads ELF dependencies with objdump (binutils), which minimal images lack.
if ! command -v objdump >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "==> installing binutils (PyInstaller needs objdump)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends binutils >/dev/null
    else
        echo "bundle.sh: PyInstaller needs objdump: install binutils (sudo apt-get install binutils)" >&2
        exit 1
    fi
fi

scripts/bootstrap.sh dev
venv="$root/${VIVA_VENV:-.venv}"
export PYINSTALLER_CONFIG_DIR="${PYINSTALLER_CONFIG_DIR:-$root/build/pyinstaller-config}"
mkdir -p "$dist" "$work" "$PYINSTALLER_CONFIG_DIR"

echo "==> building the bundle into $dist/viva-desktop"
started=$SECONDS
"$venv/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$dist" --workpath "$work" build.spec
app="$dist/viva-desktop/viva-desktop"
[ -x "$app" ] || { echo "bundle.sh: no executable at $app" >&2; exit 1; }
echo "==> built in $((SECONDS - started)) s: $dist/viva-desktop ($(du -sh "$dist/viva-desktop" | cut -f1))"

if [ "$check" -eq 1 ]; then
    echo "==> self-test of the bundle"
    # A private HOME: the self-test opens (and migrates) a store in the user's data folder.
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/viva-bundle-check.XXXXXX")
    trap 'rm -rf "$scratch"' EXIT
    HOME="$scratch" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
        XDG_CACHE_HOME="$scratch/cache" XDG_STATE_HOME="$scratch/state" \
        QT_QPA_PLATFORM=offscreen timeout --kill-after=10 120 "$app" --self-test \
        2>"$scratch/self-test.log" || { cat "$scratch/self-test.log" >&2; exit 1; }
fi
