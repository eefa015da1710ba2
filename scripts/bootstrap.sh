#!/usr/bin/env bash
# Create or update the project's virtual environment (.venv) with the requested extra.
# Usage: scripts/bootstrap.sh [runtime|test|dev]
# Re-installs only when pyproject.toml changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."

extra="${1:-runtime}"
venv="${VIVA_VENV:-.venv}"

pick_python() {
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    echo "Viva Desktop needs Python 3.11 or newer; none was found on PATH." >&2
    return 1
}

if [ ! -x "$venv/bin/python" ]; then
    py=$(pick_python)
    echo "==> creating virtual environment $venv with $py"
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
fi

case "$extra" in
    runtime) spec="." ;;
    test) spec=".[test]" ;;
    dev) spec=".[dev]" ;;
    *) echo "unknown extra: $extra" >&2; exit 2 ;;
esac

stamp="$venv/.stamp-$extra"
digest=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "==> installing viva-desktop ($extra) into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec"
    echo "$digest" > "$stamp"
fi
