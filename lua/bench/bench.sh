#!/usr/bin/env bash
# Redis CPU per call of every link script, as the executor loads it, against a minimal
# hand-written equivalent (lua/bench/minimal/: the same keys, arguments, writes and replies in
# every state the scripts can reach, no argument or value checks, no helpers).
#
# For each scenario and round: a throwaway redis-server on a free port is flushed, the keys the
# scenario needs are created (the KeySchema layout: sr:{game:<uid>}:lk:lobby, its index, its
# markers, uids of 12 digits as redis-benchmark draws them), the statistics are reset, then
# redis-benchmark sends EVALSHA with random uids and `usec_per_call` of EVALSHA is read from
# INFO commandstats (Redis's own time in the script, inner commands included; the clients' time
# is not in it). Scenarios that change the state they find draw from ten times more uids than
# calls, so about 5% of calls find a uid an earlier call changed.
#
# Usage (from the repository root):
#   lua/bench/bench.sh [rounds (3)] [calls per run (100000)]
# Env: SKIP_BUILD=1 to use redis-reactive-executor/target/classes as it is; CLIENTS (16) and
#      PIPELINE (16) for redis-benchmark -c / -P; ONLY=<regex> to run some scenarios only;
#      BEFORE=<git revision> to measure in the same rounds the scripts of that revision as the
#      executor loaded them before it took only the helpers each script calls (the whole
#      _prelude.lua, a newline, the file).
# Prints one Markdown row per scenario: best and median of the rounds, loaded and minimal.
set -euo pipefail

ROUNDS=${1:-3}
CALLS=${2:-100000}
CLIENTS=${CLIENTS:-16}
PIPELINE=${PIPELINE:-16}
ONLY=${ONLY:-.}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/lua/bench"
WORK=$(mktemp -d)
SPACE=$((CALLS * 10))

cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -o -pl redis-reactive-executor -am compile
fi
SCRIPTS=(link_set_if_absent link_set link_claim link_replace link_get_lease
  link_get_if_persistent link_remove link_remove_if_owner link_move link_pin link_unpin
  link_get_pin)
java -cp redis-reactive-executor/target/classes "$BENCH/LoadedScripts.java" "$WORK/loaded" \
  $(printf '%s.lua ' "${SCRIPTS[@]}")

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK"
stop() {
  local pid
  pid=$(cat "$WORK/redis.pid" 2>/dev/null) || true
  if [[ -n "$pid" ]]; then
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -rf "$WORK"
}
trap stop EXIT
cli() { redis-cli -p "$PORT" "$@"; }
for _ in $(seq 50); do cli PING >/dev/null 2>&1 && break; sleep 0.1; done

load() { cli -x SCRIPT LOAD <"$1"; }

# The state a scenario starts from, for uids 0 .. SPACE-1 (link to pod 1).
populate() {
  local kind=$1
  cli FLUSHALL >/dev/null
  [[ "$kind" == none ]] && return
  cli EVAL "
    for i = 0, tonumber(ARGV[2]) - 1 do
      local u = string.format('%012d', i)
      local link = 'sr:{game:' .. u .. '}:lk:lobby'
      if ARGV[1] == 'temp' then
        redis.call('SET', link, '1', 'EX', 3600)
      else
        redis.call('SET', link, '1')
        redis.call('HSET', 'sr:{game:' .. u .. '}:lk', 'lobby', '1')
        if ARGV[1] == 'pinned' then
          redis.call('SET', 'sr:{game:' .. u .. '}:pn:lobby', '1')
        end
      end
    end
    collectgarbage('collect') -- so that the loop's garbage is not collected during the run
    return 1" 0 "$kind" "$SPACE" >/dev/null
}

# usec_per_call of one command after one redis-benchmark run; fails on failed calls.
measure() {
  local cmd=$1 space=$2
  shift 2
  cli CONFIG RESETSTAT >/dev/null
  redis-benchmark -p "$PORT" -c "$CLIENTS" -P "$PIPELINE" -n "$CALLS" -r "$space" -q "$@" \
    >/dev/null
  local line
  line=$(cli INFO commandstats | tr -d '\r' | grep "^cmdstat_$cmd:")
  if [[ "$line" != *"failed_calls=0"* ]]; then
    echo "failed calls: $line" >&2
    exit 1
  fi
  sed -E 's/.*usec_per_call=([0-9.]+).*/\1/' <<<"$line"
}

U=__rand_int__
LINK="sr:{game:$U}:lk:lobby"
IDX="sr:{game:$U}:lk"
LR="sr:{game:$U}:lr:lobby"
PN="sr:{game:$U}:pn:lobby"
CH="sr:lc:game"
SUBJ="lobby:$U"
# name | script | starting state (a '+' after it: the calls leave it as it is, so the variants
# share one) | uids drawn | numkeys and arguments of EVALSHA
SCENARIOS=(
  "set_if_absent, returning uid (hot path)|link_set_if_absent|temp+|$SPACE|3 $LINK $IDX $LR 2 600 lobby"
  "set_if_absent, first placement|link_set_if_absent|none|1000000000|3 $LINK $IDX $LR 2 600 lobby"
  "set, new persistent link|link_set|none|1000000000|4 $LINK $IDX $LR $PN 2 -1 lobby $CH $SUBJ"
  "set, temporary link moved|link_set|temp|$SPACE|4 $LINK $IDX $LR $PN 2 600 lobby $CH $SUBJ"
  "claim, new persistent link|link_claim|none|1000000000|4 $LINK $IDX $LR $PN 2 -1 lobby $CH $SUBJ"
  "replace, off a dead pod|link_replace|temp|$SPACE|4 $LINK $IDX $LR $PN 1 2 600 lobby $CH $SUBJ"
  "get_lease, temporary link|link_get_lease|temp+|$SPACE|1 $LINK"
  "get_if_persistent, persistent link|link_get_if_persistent|persistent+|$SPACE|1 $LINK"
  "remove, now|link_remove|temp|$SPACE|4 $LINK $IDX $LR $PN 0 lobby $CH $SUBJ"
  "remove_if_owner, persistent link|link_remove_if_owner|persistent|$SPACE|4 $LINK $IDX $LR $PN 1 0 lobby $CH $SUBJ"
  "move, persistent link|link_move|persistent|$SPACE|3 $LINK $IDX $PN 1 2 lobby $CH $SUBJ"
  "pin, temporary link|link_pin|temp|$SPACE|4 $LINK $IDX $LR $PN 2 lobby $CH $SUBJ"
  "unpin, pinned link|link_unpin|pinned|$SPACE|2 $LINK $PN"
  "get_pin, pinned link|link_get_pin|pinned+|$SPACE|2 $LINK $PN"
)

VARIANTS=(loaded minimal)
declare -A SHA
if [[ -n "${BEFORE:-}" ]]; then
  VARIANTS=(before loaded minimal)
  mkdir -p "$WORK/before"
  for s in "${SCRIPTS[@]}"; do
    { git show "$BEFORE:lua/_prelude.lua"; echo; git show "$BEFORE:lua/$s.lua"; } \
      >"$WORK/before/$s.lua"
    SHA[before_$s]=$(load "$WORK/before/$s.lua")
  done
fi
for s in "${SCRIPTS[@]}"; do
  SHA[loaded_$s]=$(load "$WORK/loaded/$s.lua")
  SHA[minimal_$s]=$(load "$BENCH/minimal/$s.lua")
done
SHA[empty]=$(cli SCRIPT LOAD "return 1")

declare -A RESULTS
for round in $(seq "$ROUNDS"); do
  for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r name script state space args <<<"$entry"
    [[ "$name" =~ $ONLY ]] || continue
    [[ "$state" == *+ ]] && populate "${state%+}"
    for variant in "${VARIANTS[@]}"; do
      [[ "$state" == *+ ]] || populate "$state"
      # shellcheck disable=SC2086 # the arguments are words on purpose
      us=$(measure evalsha "$space" EVALSHA "${SHA[${variant}_$script]}" $args)
      RESULTS["$name|$variant"]+="$us "
    done
  done
  if [[ "empty" =~ $ONLY ]]; then
    populate none
    RESULTS["empty EVALSHA (return 1), 3 keys 3 args|loaded"]+="$(measure evalsha 1000000000 \
      EVALSHA "${SHA[empty]}" 3 "$LINK" "$IDX" "$LR" 2 600 lobby) "
    populate none
    RESULTS["SET ... NX GET EX, absent link|loaded"]+="$(measure set 1000000000 \
      SET "$LINK" 2 NX GET EX 600) "
    populate temp
    RESULTS["GET, temporary link|loaded"]+="$(measure get "$SPACE" GET "$LINK") "
  fi
done

stat() { # best and median of the numbers in $1
  tr ' ' '\n' <<<"$1" | { grep . || true; } | sort -g | awk '{a[NR] = $1} END {
    if (NR == 0) { printf "-" } else { printf "%.2f (%.2f)", a[1], a[int((NR + 1) / 2)] } }'
}
echo "Redis $(cli INFO server | tr -d '\r' | sed -n 's/^redis_version://p'), $(nproc) cores," \
  "$(date -u +%Y-%m-%d), redis-benchmark -c $CLIENTS -P $PIPELINE -n $CALLS, $ROUNDS rounds;" \
  "usec_per_call: best (median)"
echo
if [[ -n "${BEFORE:-}" ]]; then
  echo "| scenario | before ($BEFORE) | loaded | minimal | loaded / minimal (best) |"
  echo "|---|---|---|---|---|"
else
  echo "| scenario | loaded | minimal | loaded / minimal (best) |"
  echo "|---|---|---|---|"
fi
for entry in "${SCENARIOS[@]}" "empty EVALSHA (return 1), 3 keys 3 args|" \
  "SET ... NX GET EX, absent link|" "GET, temporary link|"; do
  name=${entry%%|*}
  loaded=${RESULTS["$name|loaded"]:-}
  minimal=${RESULTS["$name|minimal"]:-}
  [[ -n "$loaded" ]] || continue
  ratio=-
  if [[ -n "$minimal" ]]; then
    ratio=$(awk -v a="$(stat "$loaded" | cut -d' ' -f1)" -v b="$(stat "$minimal" | cut -d' ' -f1)" \
      'BEGIN { printf "%.2fx", a / b }')
  fi
  before=
  if [[ -n "${BEFORE:-}" ]]; then
    before=" $(stat "${RESULTS["$name|before"]:-}") |"
  fi
  echo "| $name |$before $(stat "$loaded") | $(stat "$minimal") | $ratio |"
done
exit 0
