#!/usr/bin/env bash
# Start-up benchmark: time from starting a desktop binary under Xvfb to its
# first painted frame (a screenshot with more than 200 colours, as in
# desktop-smoke.sh), for Quietdesk and for a bare Wails window (the vanilla
# template) built here in the same run. Each binary is started once to warm
# the disk cache (not counted), then RUNS times, alternating; Quietdesk
# always on a fresh data folder (its first-run welcome screen), and, with
# SIGNIN_DATA naming a data folder (make bench: the large demo's), on a
# fresh copy of that practice: the sign-in screen, where people start.
#
# usage: startup-bench.sh [QUIETDESK_BINARY] [OUT_DIR]
#   writes OUT_DIR/startup.txt ("bare <ms>" / "quietdesk <ms>" / "signin <ms>" per run, and
#   "poll <ms>", the mean time between screenshots: the resolution) and the
#   last first-paint frame of each as OUT_DIR/startup-{bare,quietdesk}.png.
set -euo pipefail
qd=$(realpath "${1:-build/bin/quietdesk}")
out=${2:-bench-results}
runs=${RUNS:-5}
wails=${WAILS:-$(go env GOPATH)/bin/wails}
mkdir -p "$out"
out=$(realpath "$out")
[ -x "$qd" ] || { echo "startup-bench: no Quietdesk binary at $qd (make build)"; exit 1; }

work=$(mktemp -d)
display=:$((70 + RANDOM % 9))
xvfb=
cleanup() {
  # measure runs in a subshell; it leaves the running app's pid here.
  if [ -s "$work/app.pid" ]; then kill -KILL -- -"$(cat "$work/app.pid")" 2>/dev/null || true; fi
  if [ -n "$xvfb" ]; then kill "$xvfb" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "startup-bench: building a bare Wails app (wails init -t vanilla) in $work"
t0=$(date +%s)
(cd "$work" && "$wails" init -n bare -t vanilla >"$work/init.log" 2>&1) || { cat "$work/init.log"; exit 1; }
(cd "$work/bare" && "$wails" build -tags webkit2_41 >"$work/build.log" 2>&1) || { cat "$work/build.log"; exit 1; }
bare="$work/bare/build/bin/bare"
echo "startup-bench: bare app built in $(($(date +%s) - t0)) s"

Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1

now_ms() { echo $(($(date +%s%N) / 1000000)); }
colours() { DISPLAY=$display import -window root "$1" 2>/dev/null && convert "$1" -format %k info:; }

# measure NAME BINARY [ARGS...]: prints the ms from start to the first frame
# with more than 200 colours, then stops the app (its whole process group).
measure() {
  local name=$1 shot="$work/frame.miff" start t c first= app
  shift
  start=$(now_ms)
  DISPLAY=$display setsid "$@" >"$work/$name.log" 2>&1 &
  app=$!
  echo "$app" >"$work/app.pid"
  while :; do
    t=$(now_ms)
    if ((t - start > 30000)); then echo "startup-bench: $name did not paint within 30 s" >&2; return 1; fi
    if ! kill -0 "$app" 2>/dev/null; then echo "startup-bench: $name exited early" >&2; cat "$work/$name.log" >&2; return 1; fi
    c=$(colours "$shot") || continue
    if [ "$c" -gt 200 ]; then first=$((t - start)); break; fi
  done
  convert "$shot" "$out/startup-$name.png"
  kill -TERM -- -"$app" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- -"$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  : >"$work/app.pid"
  # Wait for the screen to be blank again before the next start.
  for _ in $(seq 1 25); do
    c=$(colours "$work/blank.miff") || c=0
    [ "$c" -le 200 ] && break
    sleep 0.2
  done
  echo "$first"
}

run_qd() { local d; d=$(mktemp -d -p "$work"); measure quietdesk "$qd" --data-dir "$d"; }
run_bare() { measure bare "$bare"; }
# The copy is made before the clock starts: what is timed is opening it.
run_signin() {
  local d
  d=$(mktemp -d -p "$work")
  cp "$SIGNIN_DATA/practice.db" "$d/"
  measure signin "$qd" --data-dir "$d"
  rm -rf "$d"
}

: >"$out/startup.txt"
echo "startup-bench: warm-up (not counted): bare $(run_bare) ms, quietdesk $(run_qd) ms"
for i in $(seq 1 "$runs"); do
  b=$(run_bare)
  q=$(run_qd)
  echo "bare $b" >>"$out/startup.txt"
  echo "quietdesk $q" >>"$out/startup.txt"
  echo "startup-bench: run $i/$runs: bare $b ms, quietdesk $q ms"
  if [ -n "${SIGNIN_DATA:-}" ]; then
    g=$(run_signin)
    echo "signin $g" >>"$out/startup.txt"
    echo "startup-bench: run $i/$runs: quietdesk on an existing practice (sign-in screen) $g ms"
  fi
done
# The resolution: the time one screenshot and colour count take.
s=$(date +%s%N)
for _ in 1 2 3 4 5; do colours "$work/blank.miff" >/dev/null; done
poll=$((($(date +%s%N) - s) / 5000000))
echo "poll $poll" >>"$out/startup.txt"

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
mb=$(awk '$1 == "bare" {print $2}' "$out/startup.txt" | median)
mq=$(awk '$1 == "quietdesk" {print $2}' "$out/startup.txt" | median)
echo "startup-bench: first paint, median of $runs: bare Wails ${mb} ms, Quietdesk ${mq} ms," \
  "ratio $(awk -v q="$mq" -v b="$mb" 'BEGIN {printf "%.2f", q / b}')x (screenshot poll every ~${poll} ms)"
if [ -n "${SIGNIN_DATA:-}" ]; then
  mg=$(awk '$1 == "signin" {print $2}' "$out/startup.txt" | median)
  echo "startup-bench: sign-in screen of an existing practice, median of $runs: ${mg} ms," \
    "ratio $(awk -v q="$mg" -v b="$mb" 'BEGIN {printf "%.2f", q / b}')x a bare Wails window"
fi
