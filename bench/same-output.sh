#!/usr/bin/env bash
# Checks that a change left the output alone: builds REV (default HEAD~1) in a
# scratch worktree and compares `kalm analyze --batch` on the valence texts, and
# `kalm review --json --rewrite` on the README example, byte for byte with build/kalm.
# Usage: bash bench/same-output.sh [REV]   (after `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:-HEAD~1}
WT=$(mktemp -d)
TEXTS=$(mktemp); CLIENT=$(mktemp); DRAFT=$(mktemp)
trap 'git worktree remove --force "$WT" >/dev/null 2>&1 || true; rm -f "$TEXTS" "$CLIENT" "$DRAFT"' EXIT
git worktree add --detach "$WT" "$REV" >/dev/null
(cd "$WT" && cmake --preset dev >/dev/null && cmake --build build --target kalm -j"$(nproc)" >/dev/null)
cut -f4 ../shared/data/valence/train.tsv | tail -n +2 > "$TEXTS"
echo "Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?! Ik had hem dinsdag al verwacht." > "$CLIENT"
echo "Zoals ik al zei wacht ik nog steeds op JOUW teksten!! Ik kijk er binnenkort naar." > "$DRAFT"
cmp <("$WT/build/kalm" --data data analyze --batch "$TEXTS") <(build/kalm --data data analyze --batch "$TEXTS")
echo "analyze --batch: same output as $REV ($(wc -l < "$TEXTS") texts)"
if "$WT/build/kalm" review --help >/dev/null 2>&1; then
  cmp <("$WT/build/kalm" --data data review --json --rewrite --reply-to "$CLIENT" "$DRAFT") \
      <(build/kalm --data data review --json --rewrite --reply-to "$CLIENT" "$DRAFT")
  echo "review --json --rewrite: same output as $REV"
fi
