#!/usr/bin/env bash
# Desktop smoke test: the production binary starts under Xvfb on a fresh
# data folder, paints its window (screenshot kept as an artifact and checked
# to be more than a blank frame), and exits with status 0 on SIGTERM; then
# the same as a check-in tablet (--tablet), whose full-screen window shows
# the pairing screen and also exits cleanly on SIGTERM (an operating
# system's shutdown is not a patient trying to leave).
set -euo pipefail
bin=${1:?usage: desktop-smoke.sh BINARY ARTIFACT_DIR}
out=${2:-test-artifacts}
mkdir -p "$out"
data=$(mktemp -d)
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$data"' EXIT
sleep 1

# smoke NAME ARGS...: start the binary, wait for a painted frame, SIGTERM it.
smoke() {
  local name=$1
  shift
  DISPLAY=$display "$bin" --data-dir "$data" "$@" >"$out/$name.log" 2>&1 &
  local app=$!
  # Wait for the window to paint: the frame must show many colours (text,
  # buttons), not the single background colour of an empty window.
  local shot="$out/$name.png" colours=0
  for _ in $(seq 1 40); do
    sleep 0.5
    kill -0 $app 2>/dev/null || { echo "smoke: $name: the app exited early"; cat "$out/$name.log"; exit 1; }
    DISPLAY=$display import -window root "$shot" 2>/dev/null || continue
    colours=$(convert "$shot" -format %k info:)
    [ "$colours" -gt 200 ] && break
  done
  if [ "$colours" -le 200 ]; then
    echo "smoke: $name: FAIL — the window stayed blank ($colours colours); see $shot"
    exit 1
  fi
  kill -TERM $app
  local status=0
  wait $app || status=$?
  if [ $status -ne 0 ]; then
    echo "smoke: $name: FAIL — exit status $status after SIGTERM"; cat "$out/$name.log"; exit 1
  fi
  echo "smoke: $name: ok — window painted ($colours colours, $shot), clean exit on SIGTERM"
}

smoke desktop-smoke
smoke desktop-smoke-tablet --tablet --beacon 0
[ -d "$data/check-in-tablet" ] || { echo "smoke: FAIL — the tablet made no folder of its own"; exit 1; }
[ ! -e "$data/check-in-tablet/practice.db" ] || { echo "smoke: FAIL — the tablet made a practice database"; exit 1; }
