#!/usr/bin/env bash
# Screenshots of every page for the README, under a virtual X display (Xvfb), in English and
# Spanish, light and dark: docs/screenshots/<page>.png, docs/screenshots/es/<page>.png and
# the same under dark/ (docs/screenshots/dark/, docs/screenshots/es/dark/).
#   scripts/screenshots.sh [OUT_DIR]        (default docs/screenshots)
# Each run starts the real app on its embedded sandbox (`--sandbox`), syncs so the browsers
# have data, visits every page, and quits. A private HOME with the usual folders keeps the
# user's settings and store out of it, and the app shows it as "~": the pictures carry no
# build folder or temporary path (the images are written to ~/viva/screenshots first).
# See scripts/take_screenshots.py.
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
    for theme in light dark; do
        target="$out"
        [ "$lang" = en ] || target="$target/$lang"
        [ "$theme" = light ] || target="$target/dark"
        mkdir -p "$target"
        rm -f "$target"/*.png
        home="$scratch/$lang-$theme"
        shots="$home/viva/screenshots"
        mkdir -p "$shots"
        echo "==> $lang $theme screenshots into $target"
        (cd "$home" && HOME="$home" XDG_CONFIG_HOME="$home/.config" \
            XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache" \
            XDG_STATE_HOME="$home/.local/state" VIVA_UI__THEME="$theme" \
            QT_QPA_PLATFORM=xcb SENTRY_DSN= PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" \
            timeout --kill-after=15 600 xvfb-run -a -s "-screen 0 1600x1000x24" \
            "$venv/bin/python" "$root/scripts/take_screenshots.py" --lang "$lang" --out "$shots" \
            2>"$home/app.log") || { tail -n 40 "$home/app.log" >&2; exit 1; }
        cp "$shots"/*.png "$target"/
    done
done
