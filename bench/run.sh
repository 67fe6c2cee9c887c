#!/usr/bin/env bash
# Whole-program figures for docs/performance.md: `kalm analyze --batch` against
# VADER-js on the same texts in the same run (both pinned to one core), start-up
# time and peak memory, then the Google Benchmarks of the inner loop.
# Usage: bash bench/run.sh   (after `make build`; `make bench` does both)
set -euo pipefail
cd "$(dirname "$0")/.."
KALM=build/kalm
TEXTS=$(mktemp)
trap 'rm -f "$TEXTS"' EXIT
if [ -f ../shared/data/valence/train.tsv ]; then
  # The texts of the valence corpus (tweets, reviews, news): read, never copied.
  cut -f4 ../shared/data/valence/train.tsv | tail -n +2 > "$TEXTS"
  SRC="../shared/data/valence/train.tsv (text column)"
else
  grep -h '^| ' tests/core/golden/*/*.golden | cut -c3- > "$TEXTS"
  SRC="golden case lines"
fi
N=$(wc -l < "$TEXTS")
BYTES=$(wc -c < "$TEXTS")
(cd tools/quality && npm ci --no-audit --no-fund --silent)
echo "texts: $N messages, $BYTES bytes from $SRC"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

run_time() {  # prints wall seconds and peak RSS (KB) of a command, pinned to core 0
  /usr/bin/time -f "%e %M" taskset -c 0 "$@" 2>&1 >/dev/null | tail -1
}
best() {  # best of 3 runs: "seconds rss"
  local b="" r
  for _ in 1 2 3; do
    r=$(run_time "$@")
    if [ -z "$b" ] || awk -v a="${r%% *}" -v c="${b%% *}" 'BEGIN{exit !(a<c)}'; then b=$r; fi
  done
  echo "$b"
}
k=$(best $KALM analyze --batch "$TEXTS")
v=$(best node tools/quality/vader_batch.mjs "$TEXTS")
awk -v n="$N" -v b="$BYTES" -v k="$k" -v v="$v" 'BEGIN{
  split(k,K," "); split(v,V," ");
  printf "%-28s %10s %12s %10s %12s\n", "program", "seconds", "messages/s", "MB/s", "peak RSS MB";
  printf "%-28s %10.2f %12.0f %10.2f %12.1f\n", "kalm analyze --batch", K[1], n/K[1], b/1e6/K[1], K[2]/1024;
  printf "%-28s %10.2f %12.0f %10.2f %12.1f\n", "VADER-js (vader-sentiment)", V[1], n/V[1], b/1e6/V[1], V[2]/1024;
  printf "kalm / VADER-js messages per second: %.1fx\n", (n/K[1])/(n/V[1]);
}'
echo
echo "start-up: one short message, analysed and printed as JSON"
MSG=$(mktemp)
echo "Waarom is het verslag nog niet af?" > "$MSG"
hyperfine -N --warmup 3 --runs 30 --export-markdown /dev/stdout "$KALM analyze --json $MSG" 2>/dev/null | tail -3
s=$(run_time $KALM analyze --json "$MSG")
echo "peak RSS of that run: $(awk -v r="${s#* }" 'BEGIN{printf "%.1f MB", r/1024}')"
rm -f "$MSG"
echo
echo "one draft reviewed, and replies suggested for one message (start-up and the coach's lexicons included)"
CLIENT=$(mktemp); DRAFT=$(mktemp)
echo "Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?! Ik had hem dinsdag al verwacht." > "$CLIENT"
echo "Zoals ik al zei wacht ik nog steeds op JOUW teksten!! Ik kijk er binnenkort naar." > "$DRAFT"
hyperfine -N --warmup 3 --runs 20 --export-markdown /dev/stdout \
  "$KALM review --reply-to $CLIENT $DRAFT" "$KALM reply $CLIENT" 2>/dev/null | grep '^|' | tail -4
rm -f "$CLIENT" "$DRAFT"
echo
if [ -x build/bench/kalm_bench ]; then
  taskset -c 0 build/bench/kalm_bench --benchmark_min_time=0.2 2>/dev/null
fi
echo
if [ -x build/bench/kalm_timeline_bench ]; then
  echo "the timeline route's parts (500 analysed messages on SQLite)"
  taskset -c 0 build/bench/kalm_timeline_bench --benchmark_min_time=0.2 2>/dev/null
fi
