#!/bin/sh
# Install what the browser tests (tests/test_browser.py) need from Debian: Chromium, and the
# Noto CJK fonts so that JupyterLab and the static site show Chinese instead of boxes.
#
#   sh tools/install_browser.sh
#
# Idempotent: installs only what is missing, and only as root (apt-get).  Without root it
# prints what is missing and exits 0: the browser tests then skip (or fail when CI=true).
# Playwright itself is a Python package (the dev extra); it drives this Chromium through
# executable_path=/usr/bin/chromium, so `playwright install` (a browser download) is never needed.
set -eu

CHROMIUM=/usr/bin/chromium
missing=""
if [ -x "$CHROMIUM" ]; then
    echo "install_browser: $CHROMIUM present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
else
    missing="$missing chromium"
fi
# Chinese glyphs for the browser: Chromium falls back to fontconfig, which needs a CJK face.
if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh-tw family | grep -q . \
        && fc-list :lang=zh-cn family | grep -q .; then
    echo "install_browser: CJK fonts present ($(fc-list :lang=zh-tw family | head -n 1))"
else
    missing="$missing fonts-noto-cjk"
fi

if [ -z "$missing" ]; then
    echo "install_browser: nothing to do"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "install_browser: missing:$missing; not root, so not installing them (browser tests will skip)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: missing:$missing; no apt-get on this machine (browser tests will skip)"
    exit 0
fi
echo "install_browser: apt-get install$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086  # word splitting of the package list is intended
apt-get install -y -qq --no-install-recommends $missing >/dev/null
for pkg in $missing; do
    echo "install_browser: installed $pkg $(dpkg-query -W -f='${Version}' "$pkg")"
done
if [ -x "$CHROMIUM" ]; then
    echo "install_browser: $("$CHROMIUM" --version 2>/dev/null || true)"
fi
