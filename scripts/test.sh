#!/usr/bin/env bash
# The README's test command: set everything up and run the whole test suite.
#   - Debian packages (Xvfb, gnome-keyring, D-Bus, PostgreSQL server binaries)
#   - the virtual environment with the test extra (dev: plus PyInstaller, for the bundle tests)
#   - a throwaway PostgreSQL cluster on 127.0.0.1 (removed on exit)
#   - a Secret Service keyring (gnome-keyring) inside a private D-Bus session
#   - an Xvfb display
# Extra arguments go to pytest, e.g. scripts/test.sh tests/sandbox -x
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/system-packages.sh
# tests/delivery builds the PyInstaller bundle (the dev extra adds PyInstaller) and runs its
# self-test; VIVA_SKIP_BUNDLE=1 skips that on a developer's machine (never in CI).
if [ "${VIVA_SKIP_BUNDLE:-0}" = 1 ]; then scripts/bootstrap.sh test; else scripts/bootstrap.sh dev; fi
venv="$root/${VIVA_VENV:-.venv}"

work=$(mktemp -d "${TMPDIR:-/tmp}/viva-test.XXXXXX")
chmod 755 "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_data="$work/pg"
pg_user=()
cleanup() {
    if [ -f "$pg_data/postmaster.pid" ]; then
        "${pg_user[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# --- PostgreSQL: initdb and pg_ctl refuse to run as root, so use the postgres account then.
free_port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$pg_data"
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$work" postgres
    chown postgres "$pg_data"
    pg_user=(runuser -u postgres --)
fi
"${pg_user[@]}" "$pg_bin/initdb" -D "$pg_data" --auth=trust --no-sync -U postgres -E UTF8 >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log"; exit 1; }
"${pg_user[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$pg_data/server.log" start \
    -o "-c listen_addresses=127.0.0.1 -c port=$free_port -c unix_socket_directories=$pg_data -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
    || { cat "$pg_data/server.log"; exit 1; }
export VIVA_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$free_port/postgres"
echo "==> PostgreSQL ready on 127.0.0.1:$free_port"

# --- a private HOME so the keyring, config and caches of the tests never touch the user's own.
export HOME="$work/home"
mkdir -p "$HOME"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache" XDG_STATE_HOME="$HOME/.local/state"
unset XDG_RUNTIME_DIR || true
export PYTHON_KEYRING_BACKEND=keyring.backends.SecretService.Keyring
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
mkdir -p "$root/reports"

inner=$(cat <<'INNER'
set -euo pipefail
printf %s viva-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
exec timeout --kill-after=30 "${VIVA_TEST_TIMEOUT:-1500}" "$VENV/bin/python" -m pytest \
    --junitxml="$ROOT/reports/junit.xml" "$@"
INNER
)
echo "==> running tests"
status=0
VENV="$venv" ROOT="$root" xvfb-run -a -s "-screen 0 1600x1000x24" \
    dbus-run-session -- bash -c "$inner" bash "$@" || status=$?
exit $status
