#!/usr/bin/env bash
# Install the Debian packages the tests and a headless run need, when they are missing.
# Needs root (or passwordless sudo); does nothing when everything is already there.
set -euo pipefail

needed=(xvfb xauth gnome-keyring dbus libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0
        libxkbcommon-x11-0 libegl1 libgl1 fonts-dejavu-core
        fonts-noto-color-emoji)  # emoji in server data (names, posts) instead of empty boxes
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    needed+=(postgresql)
fi

missing=()
for pkg in "${needed[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo -n)
else
    echo "Missing system packages: ${missing[*]} (install them as root)." >&2
    exit 1
fi
echo "==> installing system packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
