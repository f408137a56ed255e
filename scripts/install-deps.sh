#!/usr/bin/env bash
# Installs what building and testing Quietdesk needs on a Debian or Ubuntu
# machine: WebKitGTK and GTK headers for Wails, Xvfb and Chromium for the
# end-to-end and desktop tests, WebKitWebDriver to drive WebKitGTK itself,
# ImageMagick and Poppler to look at screens and PDFs, the Windows
# cross toolchain (mingw-w64 for cgo, NSIS for the installer, Wine and 7-Zip
# to test them), the pinned wails CLI, and the frontend's node modules.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

WAILS_VERSION=v2.11.0
want="build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev webkit2gtk-driver xvfb xauth chromium imagemagick poppler-utils fonts-dejavu-core curl"
want="$want gcc-mingw-w64-x86-64-win32 nsis wine64 wine p7zip-full bc"
command -v node >/dev/null || want="$want nodejs npm"

missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing Debian packages:$missing"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

gobin="$(go env GOPATH)/bin"
if ! "$gobin/wails" version 2>/dev/null | grep -q "$WAILS_VERSION"; then
  echo "installing wails $WAILS_VERSION"
  go install "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
fi

# node_modules is current when it is newer than the lock file.
if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules ]; then
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  touch frontend/node_modules
fi
