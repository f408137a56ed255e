#!/usr/bin/env bash
# Packages the Linux build as a .deb: the binary, its desktop entry and icon,
# and the hub's systemd user unit.
# usage: scripts/package-linux.sh BINARY VERSION OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1; version=$2; out=$3
# Debian versions start with a digit: the product version from wails.json,
# then the git description.
product=$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
debversion="$product+${version//[^A-Za-z0-9.]/.}"
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
install -Dm755 "$bin" "$root/usr/bin/quietdesk"
install -Dm644 build/linux/quietdesk.desktop "$root/usr/share/applications/quietdesk.desktop"
install -Dm644 build/appicon.png "$root/usr/share/icons/hicolor/512x512/apps/quietdesk.png"
install -Dm644 build/linux/quietdesk-hub.service "$root/usr/share/quietdesk/quietdesk-hub.service"
install -d "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: quietdesk
Version: $debversion
Architecture: amd64
Maintainer: Quietdesk <noreply@quietdesk.invalid>
Depends: libgtk-3-0, libwebkit2gtk-4.1-0
Section: misc
Priority: optional
Installed-Size: $(du -sk "$root/usr" | cut -f1)
Description: Practice administration for small mental-health group practices
 Calendar, reminders, intake, credentialing, authorizations and billing
 exports; the practice's data stays on its own machines, encrypted.
CONTROL
deb="$out/quietdesk_${debversion}_amd64.deb"
dpkg-deb --build --root-owner-group -Zxz "$root" "$deb" >/dev/null
dpkg-deb --contents "$deb"
echo "package: $deb ($(( $(stat -c %s "$deb") / 1024 )) KiB)"
