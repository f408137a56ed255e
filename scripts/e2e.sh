#!/usr/bin/env bash
# Browser end-to-end tests: the built frontend in headless Chromium
# (Playwright, Debian's chromium) against the real Go backend, which
# `wails dev` runs on a fresh data folder and exposes at localhost:34115.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${ARTIFACTS:-test-artifacts}
mkdir -p "$out"
out=$(cd "$out" && pwd)
data=$(mktemp -d)
bindir=$(mktemp -d)
# Ports are settable so a second suite (another worktree) can run beside this one.
port=${E2E_PORT:-34115}
sync_port=${E2E_SYNC_PORT:-47810}
wails="$(go env GOPATH)/bin/wails"

if [ -z "${DISPLAY:-}" ]; then
  export DISPLAY=:$((80 + RANDOM % 9))
  Xvfb "$DISPLAY" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
fi
cleanup() {
  [ -n "${dev:-}" ] && kill -TERM -- -"$dev" 2>/dev/null || true
  sleep 1
  [ -n "${dev:-}" ] && kill -KILL -- -"$dev" 2>/dev/null || true
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
  rm -rf "$data" "$bindir"
}
trap cleanup EXIT

# A backend left running from an earlier run would answer instead of this
# one, on another data folder: refuse rather than test the wrong thing.
if curl -fsS "http://localhost:$port/" >/dev/null 2>&1; then
  echo "e2e: something already answers on localhost:$port; stop it first"
  exit 1
fi

# Serve the already-built frontend (make frontend), not a Vite dev server
# (wails.json names no dev watcher): what is tested is what ships.
# -m/-nosyncgomod: never touch go.mod.
QUIETDESK_DATA_DIR="$data" setsid "$wails" dev -tags webkit2_41 -s -assetdir frontend/dist \
  -appargs "--sync-listen 127.0.0.1:$sync_port --beacon 0" \
  -m -nosyncgomod -nogorebuild -noreload -skipbindings -loglevel Warning -devserver "localhost:$port" \
  >"$out/wails-dev.log" 2>&1 &
dev=$!

for i in $(seq 1 240); do
  if curl -fsS "http://localhost:$port/" >/dev/null 2>&1 && curl -fsS "http://localhost:$port/wails/ipc.js" >/dev/null 2>&1; then
    break
  fi
  kill -0 "$dev" 2>/dev/null || { echo "e2e: wails dev exited"; cat "$out/wails-dev.log"; exit 1; }
  sleep 1
  [ "$i" -eq 240 ] && { echo "e2e: backend did not start in 240 s"; cat "$out/wails-dev.log"; exit 1; }
done

# The sync spec runs a second office computer as a headless hub: it needs
# the binary itself (the frontend is not involved, so no wails build).
go build -tags webkit2_41 -o "$bindir/quietdesk" .

(cd frontend && E2E_BASE_URL="http://localhost:$port" E2E_ARTIFACTS="$out" QUIETDESK_BIN="$bindir/quietdesk" \
  E2E_SYNC_ADDRESS="127.0.0.1:$sync_port" npx playwright test)

# A canary on the real stack: the patient details the suite typed must not
# appear in the backend's log or, unsealed, in the practice's files.
markers="$out/phi-markers.txt"
[ -s "$markers" ] || { echo "e2e: the suite wrote no PHI markers"; exit 1; }
leaks=$(grep -a -l -F -f "$markers" "$out/wails-dev.log" "$data"/practice.db* 2>/dev/null || true)
if [ -n "$leaks" ]; then
  echo "e2e: FAIL — patient details found in plain text in: $leaks"
  exit 1
fi
echo "e2e: no patient detail in the backend log or the database files ($(wc -l <"$markers") markers)"
