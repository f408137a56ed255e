#!/usr/bin/env bash
# The booking and patient-form flows in WebKitGTK, the engine the Linux app
# ships with (the Chromium suites are scripts/e2e.sh). WebKitWebDriver
# (Debian's webkit2gtk-driver) drives MiniBrowser, WebKitGTK's own browser,
# under Xvfb against the real Go backend, which `wails dev` runs on a fresh
# data folder, serving the built frontend (make frontend). The suite,
# frontend/e2e-webkit/webkit.spec.ts, opens the small demo practice from the
# Welcome screen, types a date of birth digit by digit into the patient form
# (an impossible one named, a real one saved and read back), books an
# appointment for a patient found by part of the name with a typed date and
# time and finds it on the calendar, and adds a new caller from the patient
# picker and books them. Screenshots (webkit-*.png) and logs land in
# test-artifacts/; afterwards the names it saw must not be in the backend's
# log or the database files unsealed.
# Ports are settable so a run can go beside another: E2E_PORT (the app),
# E2E_SYNC_PORT, and E2E_WEBDRIVER_PORT (default: E2E_SYNC_PORT + 5, so
# moving the sync port moves it too).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/e2e-lib.sh
driver_port=${E2E_WEBDRIVER_PORT:-$((sync_port + 5))}

driver=""
cleanup() {
  # Its own process group: MiniBrowser and WebKit's processes go with it.
  [ -n "$driver" ] && kill -TERM -- -"$driver" 2>/dev/null || true
  e2e_cleanup
}
trap cleanup EXIT

if curl -fsS "http://localhost:$driver_port/status" >/dev/null 2>&1; then
  echo "e2e-webkit: something already answers on localhost:$driver_port; stop it first"
  exit 1
fi
log="$out/wails-dev-webkit.log"
start_backend "$log"
setsid WebKitWebDriver --port="$driver_port" >"$out/webkitwebdriver.log" 2>&1 &
driver=$!
for i in $(seq 1 30); do
  curl -fsS "http://localhost:$driver_port/status" >/dev/null 2>&1 && break
  kill -0 "$driver" 2>/dev/null || { echo "e2e-webkit: WebKitWebDriver exited"; cat "$out/webkitwebdriver.log"; exit 1; }
  [ "$i" -lt 30 ] || { echo "e2e-webkit: WebKitWebDriver did not answer in 30 s"; exit 1; }
  sleep 1
done

(cd frontend && E2E_BASE_URL="http://localhost:$port" E2E_WEBDRIVER_URL="http://localhost:$driver_port" \
  E2E_ARTIFACTS="$out" npx vitest run --config e2e-webkit/vitest.config.ts)
stop_backend
check_markers "$out/phi-markers-webkit.txt" "$log"
