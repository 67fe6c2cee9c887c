#!/usr/bin/env bash
# Import throughput and peak memory (docs/performance.md): `kalm import` with
# analysis of a generated WhatsApp export and a generated mbox, beside the
# sqlite3 shell importing the same rows (time, author, text) from CSV without
# parsing or analysis: the floor.
# The generated export's times are UTC wall-clock times, so the import reads
# them with --tz UTC (in a zone with DST, the spring-forward hour that no
# phone shows would fold onto the next one).
# Usage: bash bench/import.sh [WHATSAPP_MESSAGES] [MBOX_BYTES]
#        (defaults 1000000 and 1000000000; after `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
MBOX_BYTES=${2:-1000000000}
KALM=build/kalm
GEN=build/bench/kalm_gen_exports
W=$(mktemp -d /tmp/kalm-import-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

measure() {  # label, messages, command...: wall seconds, messages/s, peak RSS
  local label=$1 n=$2
  shift 2
  local r
  /usr/bin/time -f "%e %M" -o "$W/time" "$@" >/dev/null 2>&1
  r=$(tail -1 "$W/time")
  awk -v l="$label" -v n="$n" -v r="$r" 'BEGIN{split(r,a," ");
    printf "%-44s %9.1f s %10.0f msg/s %8.1f MB\n", l, a[1], n/a[1], a[2]/1024}'
}
floor() {  # csv file: the sqlite3 shell, one table, one transaction
  local db=$W/floor.db
  rm -f "$db"
  sqlite3 "$db" "PRAGMA journal_mode=WAL;" \
    "CREATE TABLE messages (sent_at INTEGER, author TEXT, body TEXT);" >/dev/null
  sqlite3 "$db" ".mode csv" ".import $1 messages"
}

for kind in whatsapp mbox; do
  if [ "$kind" = whatsapp ]; then
    "$GEN" whatsapp "$N" "$W/chat.txt"; file=$W/chat.txt
  else
    "$GEN" mbox "$MBOX_BYTES" "$W/mail.mbox"; file=$W/mail.mbox
  fi
  rows=$(grep -c '^[0-9]*,"' "$file.csv" || true)
  size=$(du -m "$file" | cut -f1)
  echo
  echo "$kind: $rows messages, $size MB"
  db=$W/kalm.db
  rm -f "$db"*
  $KALM client add Sanne --db "sqlite:$db" >/dev/null
  measure "kalm import (parse + analyse + store)" "$rows" \
    $KALM import "$file" --client Sanne --me Eva --tz UTC --db "sqlite:$db"
  stored=$($KALM timeline Sanne --count --db "sqlite:$db")
  rm -f "$db"*
  $KALM client add Sanne --db "sqlite:$db" >/dev/null
  measure "kalm import --no-analysis (parse + store)" "$rows" \
    $KALM import "$file" --client Sanne --me Eva --tz UTC --no-analysis --db "sqlite:$db"
  export -f floor
  export W
  measure "sqlite3 shell .import of the same rows (floor)" "$rows" \
    bash -c "floor $file.csv"
  echo "stored by kalm: $stored"
  rm -f "$file" "$file.csv" "$db"*
done
