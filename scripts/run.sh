#!/usr/bin/env bash
# The README's run command: set up the virtual environment and start Viva Desktop on its
# embedded sandbox server with a local SQLite store. Extra arguments go to viva-desktop.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh runtime
venv="${VIVA_VENV:-.venv}"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
    echo "No display found: starting on a virtual screen (Xvfb). Screenshots land in ./screenshots-tmp/." >&2
    scripts/system-packages.sh || true
    mkdir -p screenshots-tmp
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "$venv/bin/viva-desktop" --sandbox \
        --screenshot-dir screenshots-tmp "$@"
fi
exec "$venv/bin/viva-desktop" --sandbox "$@"
