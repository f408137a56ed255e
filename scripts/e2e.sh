#!/usr/bin/env bash
# Browser end-to-end tests: the built frontend in headless Chromium
# (Playwright, Debian's chromium) against the real Go backend, which
# `wails dev` runs on a fresh data folder and exposes at localhost:34115.
# (The booking and patient-form flows also run in WebKitGTK, the Linux
# app's engine: scripts/e2e-webkit.sh. Both use scripts/e2e-lib.sh.)
#
# Three suites, each on its own backend and fresh data folder, one after
# the other:
#   - practice.spec.ts creates a practice and walks through it, then
#     sync.spec.ts pairs a headless hub with it (Settings → Devices);
#   - calendar.spec.ts opens the small demo practice from the Welcome screen
#     (and, with E2E_PERF=1, calendar-perf.spec.ts measures rendering);
#   - frontdesk.spec.ts opens another small demo: the patient record, privacy
#     at the counter, the booking dialog from the keyboard, 24-hour times and
#     the whole practice's printed day (-tags e2e: QUIETDESK_E2E_SAVE_DIR
#     answers the save dialog);
#   - credentialing.spec.ts opens the small demo: the manager's dashboard,
#     the booking guard, an approval, a clinician's own view;
#   - join.spec.ts joins a hub's practice from the Welcome screen;
#   - mail.spec.ts sets up e-mail on the small demo against a loopback
#     SMTP relay (internal/mail/mailtest/relay) and watches the outbox;
#   - lock.spec.ts watches the backend's idle lock, on a backend built with
#     -tags e2e where QUIETDESK_E2E_LOCK_UNIT makes the lock time count
#     seconds (shipped builds have no such switch);
#   - billing.spec.ts opens the small demo as its biller: a batch from last
#     week's sessions, the scrubber's missing authorization number typed, the
#     837P exported, a partial payment and a denial posted, the superbill PDF
#     (a backend built with -tags e2e where QUIETDESK_E2E_SAVE_DIR answers the
#     save dialog: the files land there for the spec to read back);
#   - intake.spec.ts opens the small demo: the computer handed to a patient
#     who answers in Spanish and signs (every tablet screen scanned with
#     axe-core, targets measured), then the safety flag acknowledged and the
#     record changes accepted or declined field by field;
#   - tablet.spec.ts pairs a check-in tablet (a second backend, the binary
#     run with --tablet on its own folder) with the small demo's office
#     computer; the front desk sends a patient to it, who answers and
#     submits there; staff leave the tablet's window with their login;
#   - perf (make bench only) measures calendar rendering and the patient's
#     kiosk going from screen to screen, E2E_DATA_FROM naming the large demo.
# E2E_SPECS limits the run, e.g. E2E_SPECS=calendar; so do spec files given
# as arguments (scripts/e2e.sh e2e/billing.spec.ts runs the billing suite). E2E_DATA_FROM names a
# data folder to copy in instead of starting empty (make bench: the large
# demo). Ports are settable so a second run can go beside this one.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/e2e-lib.sh
specs=${E2E_SPECS:-practice calendar frontdesk credentialing join mail lock authorizations billing intake tablet backups}
if [ $# -gt 0 ]; then
  specs=""
  for f in "$@"; do
    s=$(basename "$f" .ts)
    specs="$specs ${s%.spec}"
  done
fi

cleanup() {
  e2e_cleanup
  rm -rf "$bindir" "${saved:-}"
}
trap cleanup EXIT

# The sync and join specs run other office computers as headless hubs: they
# need the binary itself (no frontend in it, so no wails build).
bindir=$(mktemp -d)
go build -tags webkit2_41 -o "$bindir/quietdesk" .
# The tablet suite's check-in tablet: the same program as wails dev builds it.
if [[ " $specs " == *" tablet "* ]]; then
  go build -tags webkit2_41,dev -o "$bindir/quietdesk-dev" .
fi
# The mail suite's loopback SMTP relay (a test helper, never shipped).
go build -o "$bindir/mailrelay" ./internal/mail/mailtest/relay

# desktop_memory FILE: the peak and current resident memory of the app
# process wails dev started (its Go backend and window; WebKit's web
# content process is its own and not counted), written as JSON.
desktop_memory() {
  local pid exe
  for pid in $(pgrep -g "$dev"); do
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
    case $(basename "$exe") in
    quietdesk*)
      awk '$1 == "VmHWM:" {peak = $2} $1 == "VmRSS:" {rss = $2}
        END {printf "{\"peakMB\": %.0f, \"rssMB\": %.0f}\n", peak / 1024, rss / 1024}' "/proc/$pid/status" >"$1"
      echo "e2e: desktop process memory $(cat "$1")"
      return
      ;;
    esac
  done
  echo "e2e: no app process found under wails dev to measure"
}

# run_suite NAME SPEC...: one backend, one suite, then the canary.
run_suite() {
  local name=$1
  shift
  local log="$out/wails-dev-$name.log"
  [ "$name" = practice ] && log="$out/wails-dev.log"
  start_backend "$log"
  (cd frontend && E2E_BASE_URL="http://localhost:$port" E2E_ARTIFACTS="$out" QUIETDESK_BIN="$bindir/quietdesk" \
    E2E_SYNC_ADDRESS="127.0.0.1:$sync_port" QUIETDESK_TEST_RELAY="$bindir/mailrelay" npx playwright test "$@")
  [ "$name" = perf ] && desktop_memory "$out/desktop-memory.json"
  stop_backend
  # The render measurement, the lock and the backups type no patient
  # detail; every other suite must name what it typed.
  case $name in perf | lock | backups) return ;; esac
  local markers="$out/phi-markers.txt"
  [ "$name" = practice ] || markers="$out/phi-markers-$name.txt"
  check_markers "$markers" "$log"
}

for s in $specs; do
  case $s in
  practice) run_suite practice practice.spec.ts sync.spec.ts ;;
  calendar) run_suite calendar calendar.spec.ts calendar-perf.spec.ts ;;
  frontdesk)
    saved=$(mktemp -d)
    GO_TAGS=e2e QUIETDESK_E2E_SAVE_DIR=$saved run_suite frontdesk frontdesk.spec.ts
    ;;
  credentialing) run_suite credentialing credentialing.spec.ts ;;
  join) run_suite join join.spec.ts ;;
  authorizations) run_suite authorizations authorizations.spec.ts ;;
  intake) run_suite intake intake.spec.ts ;;
  tablet)
    start_tablet "$bindir/quietdesk-dev" "$out/tablet.log"
    E2E_TABLET_URL="http://localhost:$tablet_port" E2E_TABLET_DATA="$tabdata" run_suite tablet tablet.spec.ts
    # What the patient typed stays off the tablet's log and folder too.
    stop_tablet
    check_tablet "$out/phi-markers-tablet.txt" "$out/tablet.log"
    ;;
  billing)
    saved=$(mktemp -d)
    GO_TAGS=e2e QUIETDESK_E2E_SAVE_DIR=$saved run_suite billing billing.spec.ts
    ;;
  mail) run_suite mail mail.spec.ts ;;
  backups) run_suite backups backups.spec.ts ;;
  perf) E2E_PERF=1 run_suite perf calendar-perf.spec.ts kiosk-perf.spec.ts ;;
  lock) GO_TAGS=e2e QUIETDESK_E2E_LOCK_UNIT=1s run_suite lock lock.spec.ts ;;
  *) echo "e2e: unknown suite $s"; exit 1 ;;
  esac
done
