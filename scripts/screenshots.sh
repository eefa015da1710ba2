#!/usr/bin/env bash
# Screenshots of every page for the README, under a virtual X display (Xvfb), in English and
# Spanish: docs/screenshots/<page>.png and docs/screenshots/es/<page>.png.
#   scripts/screenshots.sh [OUT_DIR]        (default docs/screenshots)
# Each language runs the real app on its embedded sandbox (`--sandbox`), syncs so the browsers
# have data, visits every page, and quits; a private HOME keeps the user's settings and store
# out of it. See scripts/take_screenshots.py.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$(realpath -m "${1:-docs/screenshots}")

scripts/system-packages.sh
scripts/bootstrap.sh runtime
venv="$root/${VIVA_VENV:-.venv}"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/viva-screenshots.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
for lang in en es; do
    target="$out"
    [ "$lang" = en ] || target="$out/$lang"
    rm -f "$target"/*.png
    home="$scratch/$lang"
    mkdir -p "$home"
    echo "==> $lang screenshots into $target"
    HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
        XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home/state" \
        QT_QPA_PLATFORM=xcb SENTRY_DSN= \
        timeout --kill-after=15 600 xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$venv/bin/python" scripts/take_screenshots.py --lang "$lang" --out "$target" \
        2>"$home/app.log" || { tail -n 40 "$home/app.log" >&2; exit 1; }
done
