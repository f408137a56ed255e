# Shared by the browser end-to-end scripts, scripts/e2e.sh (Chromium through
# Playwright) and scripts/e2e-webkit.sh (WebKitGTK through WebKitWebDriver):
# an X display, the real Go backend under `wails dev` on a fresh data folder,
# and the check that the patient details a suite typed stay sealed.
# Sourced from the repository root; the caller's EXIT trap calls e2e_cleanup.

out=${ARTIFACTS:-test-artifacts}
mkdir -p "$out"
out=$(cd "$out" && pwd)
port=${E2E_PORT:-34115}
# Below Linux's ephemeral range (32768–60999), so no outgoing connection
# can already hold it.
sync_port=${E2E_SYNC_PORT:-28810}
# The check-in tablet's window (the tablet suite), beside the office's.
tablet_port=${E2E_TABLET_PORT:-$((port + 1))}
wails="$(go env GOPATH)/bin/wails"

if [ -z "${DISPLAY:-}" ]; then
  # A display no other run holds (another e2e run may be going beside this one).
  for n in $(shuf -i 80-99); do
    [ -e "/tmp/.X$n-lock" ] || break
  done
  export DISPLAY=:$n
  Xvfb "$DISPLAY" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
fi

dev=""
data=""
stop_backend() {
  [ -n "$dev" ] && kill -TERM -- -"$dev" 2>/dev/null || true
  sleep 1
  [ -n "$dev" ] && kill -KILL -- -"$dev" 2>/dev/null || true
  dev=""
}
e2e_cleanup() {
  stop_backend
  stop_tablet
  rm -rf "${tabdata:-}"
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
  rm -rf "$data"
}

# start_backend LOG: wails dev on a fresh data folder ($data).
start_backend() {
  local log=$1
  # A backend left running from an earlier run would answer instead of this
  # one, on another data folder: refuse rather than test the wrong thing.
  if curl -fsS "http://localhost:$port/" >/dev/null 2>&1; then
    echo "e2e: something already answers on localhost:$port; stop it first"
    exit 1
  fi
  rm -rf "$data"
  data=$(mktemp -d)
  [ -n "${E2E_DATA_FROM:-}" ] && cp "$E2E_DATA_FROM"/practice.db "$data"/
  # Serve the already-built frontend (make frontend), not a Vite dev server
  # (wails.json names no dev watcher): what is tested is what ships.
  # -m/-nosyncgomod: never touch go.mod.
  QUIETDESK_DATA_DIR="$data" setsid "$wails" dev -tags "webkit2_41${GO_TAGS:+,$GO_TAGS}" -s -assetdir frontend/dist \
    -appargs "--sync-listen 127.0.0.1:$sync_port --beacon 0" \
    -m -nosyncgomod -nogorebuild -noreload -skipbindings -loglevel Warning -devserver "localhost:$port" \
    >"$log" 2>&1 &
  dev=$!
  for i in $(seq 1 240); do
    if curl -fsS "http://localhost:$port/" >/dev/null 2>&1 && curl -fsS "http://localhost:$port/wails/ipc.js" >/dev/null 2>&1; then
      return
    fi
    kill -0 "$dev" 2>/dev/null || { echo "e2e: wails dev exited"; cat "$log"; exit 1; }
    sleep 1
  done
  echo "e2e: backend did not start in 240 s"
  cat "$log"
  exit 1
}

tablet=""
tabdata=""
stop_tablet() {
  [ -n "$tablet" ] && kill -TERM -- -"$tablet" 2>/dev/null || true
  sleep 1
  [ -n "$tablet" ] && kill -KILL -- -"$tablet" 2>/dev/null || true
  tablet=""
}

# start_tablet BIN LOG: a check-in tablet's window (BIN built with -tags
# dev, as wails dev builds) on a fresh data directory ($tabdata), serving
# the built frontend at localhost:$tablet_port as wails dev would. Two
# `wails dev` would build into the same build/bin; this runs the binary
# itself, with the settings wails dev gives it in its environment.
start_tablet() {
  local bin=$1 log=$2
  if curl -fsS "http://localhost:$tablet_port/" >/dev/null 2>&1; then
    echo "e2e: something already answers on localhost:$tablet_port; stop it first"
    exit 1
  fi
  tabdata=$(mktemp -d)
  QUIETDESK_DATA_DIR="$tabdata" assetdir="$PWD/frontend/dist" devserver="localhost:$tablet_port" frontenddevserverurl="" \
    loglevel=Warning setsid "$bin" --tablet --beacon 0 >"$log" 2>&1 &
  tablet=$!
  for i in $(seq 1 120); do
    if curl -fsS "http://localhost:$tablet_port/wails/ipc.js" >/dev/null 2>&1; then
      return
    fi
    kill -0 "$tablet" 2>/dev/null || { echo "e2e: the tablet exited"; cat "$log"; exit 1; }
    sleep 1
  done
  echo "e2e: the tablet did not start in 120 s"
  cat "$log"
  exit 1
}

# check_markers MARKERS LOG: the patient details a suite typed must not
# appear in the backend's log or, unsealed, in the practice's files. The
# files are checked for markers of six bytes or more only: the small demo's
# files are ~180 MB, mostly ciphertext, which holds a given 4-byte string by
# chance about once in 25 runs (a name like "Maja" failed a run that way),
# and a 6-byte one about once in a million and a half. The log, which is
# text, is checked for every marker.
check_markers() {
  local markers=$1 log=$2 long
  [ -s "$markers" ] || { echo "e2e: the suite wrote no PHI markers ($markers)"; exit 1; }
  long=$(mktemp)
  LC_ALL=C awk 'length($0) >= 6' "$markers" >"$long"
  local leaks db_leaks=""
  leaks=$(grep -a -l -F -f "$markers" "$log" 2>/dev/null || true)
  [ -s "$long" ] && db_leaks=$(grep -a -l -F -f "$long" "$data"/practice.db* 2>/dev/null || true)
  leaks="${leaks:+$leaks }$db_leaks"
  rm -f "$long"
  if [ -n "$leaks" ]; then
    echo "e2e: FAIL — patient details found in plain text in: $leaks"
    exit 1
  fi
  echo "e2e: no patient detail in the backend log ($(wc -l <"$markers") markers) or the database files ($(LC_ALL=C awk 'length($0) >= 6' "$markers" | wc -l) of them)"
}

# check_tablet MARKERS LOG: after the tablet suite, the tablet's folder
# holds no practice database, nothing left in its outbox, and neither its
# files nor its log hold a detail the patient typed.
check_tablet() {
  local markers=$1 log=$2
  [ -s "$markers" ] || { echo "e2e: the tablet suite wrote no PHI markers ($markers)"; exit 1; }
  if [ -n "$(find "$tabdata" -name 'practice.db*')" ]; then
    echo "e2e: FAIL — the tablet's folder holds a practice database"
    exit 1
  fi
  if [ -n "$(find "$tabdata" -path '*/outbox/*' -type f)" ]; then
    echo "e2e: FAIL — the tablet's outbox still holds a submission"
    exit 1
  fi
  local leaks
  leaks=$(grep -a -r -l -F -f "$markers" "$log" "$tabdata" 2>/dev/null || true)
  if [ -n "$leaks" ]; then
    echo "e2e: FAIL — patient details found in plain text in: $leaks"
    exit 1
  fi
  echo "e2e: the tablet's folder holds no practice and no patient detail ($(find "$tabdata" -type f | wc -l) files, $(wc -l <"$markers") markers)"
}
