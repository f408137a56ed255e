#!/usr/bin/env bash
# Hub memory while it bootstraps a new machine: a headless `quietdesk hub`
# on a fresh copy of a practice's folder (make bench: the large demo's)
# pairs with an empty folder through the CLI (`pair open`, `join`), as an
# office adds a computer; the hub's resident memory is read from
# /proc/<pid>/status: VmRSS once it runs idle (the baseline), VmHWM (its
# peak) after the new machine has everything. The hub is a process of its
# own here, so the joining machine's memory is not counted in it.
#
# usage: hub-memory.sh [QUIETDESK_BINARY] DATA_DIR [OUT_DIR]
#   writes OUT_DIR/hub-memory.txt: "idle_mb N", "peak_mb N", "copied_mib N",
#   "join_s N".
set -euo pipefail
qd=$(realpath "${1:-build/bin/quietdesk}")
data=${2:?usage: hub-memory.sh [QUIETDESK_BINARY] DATA_DIR [OUT_DIR]}
out=${3:-bench-results}
[ -x "$qd" ] || { echo "hub-memory: no Quietdesk binary at $qd (make build)"; exit 1; }
[ -f "$data/practice.db" ] || { echo "hub-memory: no practice in $data"; exit 1; }
mkdir -p "$out"

work=$(mktemp -d)
hub=
cleanup() {
  if [ -n "$hub" ]; then kill "$hub" 2>/dev/null || true; wait "$hub" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cp -r "$data" "$work/hub"
rm -f "$work/hub/quietdesk.lock"
"$qd" hub --data-dir "$work/hub" --listen 127.0.0.1:0 --beacon 0 --name "Bench hub" 2>"$work/hub.log" &
hub=$!
for _ in $(seq 100); do grep -q 'msg="hub running"' "$work/hub.log" && break; sleep 0.1; done
grep -q 'msg="hub running"' "$work/hub.log" || { cat "$work/hub.log"; echo "hub-memory: the hub did not start"; exit 1; }
sleep 2 # let start-up settle before the idle figure
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$hub/status"; }
idle=$(kb VmRSS)

# pair open asks the running hub for a code and stays until the join is done.
mkfifo "$work/pair"
"$qd" pair open --data-dir "$work/hub" >"$work/pair" 2>"$work/pair.err" &
opener=$!
exec 3<"$work/pair"
declare -A field
while [ -z "${field[address]:-}" ] || [ -z "${field[code]:-}" ]; do
  IFS= read -r line <&3 || { cat "$work/pair.err"; echo "hub-memory: pair open printed no code"; exit 1; }
  field[${line%%: *}]=${line#*: }
done
printf '%s\n' "${field[code]}" >"$work/code"
start=$(date +%s%N)
"$qd" join --data-dir "$work/new" --address "${field[address]}" --code-file "$work/code" --name "Bench machine" >"$work/join.out"
took=$((($(date +%s%N) - start) / 1000000))
peak=$(kb VmHWM)
exec 3<&-
wait "$opener" 2>/dev/null || true
bytes=$(grep -o '^joined: [0-9]*' "$work/join.out" | grep -o '[0-9]*$')

{
  echo "idle_mb $((idle / 1024))"
  echo "peak_mb $((peak / 1024))"
  echo "copied_mib $((bytes / 1048576))"
  echo "join_s $(awk -v t="$took" 'BEGIN {printf "%.1f", t / 1000}')"
} | tee "$out/hub-memory.txt"
