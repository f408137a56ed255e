#!/usr/bin/env bash
# Desktop smoke test: the production binary starts under Xvfb on a fresh
# data folder, paints its window (screenshot kept as an artifact and checked
# to be more than a blank frame), and exits with status 0 on SIGTERM.
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
DISPLAY=$display "$bin" --data-dir "$data" >"$out/desktop-smoke.log" 2>&1 &
app=$!

# Wait for the welcome screen to paint: the frame must show many colours
# (text, buttons), not the single background colour of an empty window.
shot="$out/desktop-smoke.png"
colours=0
for _ in $(seq 1 40); do
  sleep 0.5
  kill -0 $app 2>/dev/null || { echo "smoke: the app exited early"; cat "$out/desktop-smoke.log"; exit 1; }
  DISPLAY=$display import -window root "$shot" 2>/dev/null || continue
  colours=$(convert "$shot" -format %k info:)
  [ "$colours" -gt 200 ] && break
done
if [ "$colours" -le 200 ]; then
  echo "smoke: FAIL — the window stayed blank ($colours colours); see $shot"
  exit 1
fi
kill -TERM $app
status=0
wait $app || status=$?
if [ $status -ne 0 ]; then
  echo "smoke: FAIL — exit status $status after SIGTERM"; cat "$out/desktop-smoke.log"; exit 1
fi
echo "smoke: ok — window painted ($colours colours, $shot), clean exit on SIGTERM"
