#!/usr/bin/env bash
# Rewrites a golden ratchet from the current build: the ids of every golden case
# that fails now. Run after improving the analyzer or the reply coach, and read the
# diff: a case that leaves the list is progress, one that enters it is a regression
# to fix or to explain in the commit message.
# Usage: tools/update-known-failures.sh [analyzer|review]   (default: analyzer)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-analyzer}" in
  analyzer) f=tests/core/golden/known-failures.txt; filter='Analyzer/Golden*' ;;
  review) f=tests/core/review/known-failures.txt; filter='Reviewer/ReviewGolden*' ;;
  *) echo "usage: $0 [analyzer|review]" >&2; exit 64 ;;
esac
out=$(KALM_GOLDEN_ALL=1 build/tests/kalm_core_test --gtest_filter="$filter" 2>&1 || true)
if ! grep -qE '^\[  (PASSED|FAILED)  \]' <<<"$out"; then
  echo "update-known-failures: the golden test did not run:" >&2
  tail -5 <<<"$out" >&2
  exit 1
fi
ids=$(grep -oE '^\S+\.golden:[0-9]+ \S+:' <<<"$out" | awk '{print $2}' | tr -d ':' | sort -u || true)
{ head -3 "$f"; [ -n "$ids" ] && echo "$ids"; } > "$f.tmp"
mv "$f.tmp" "$f"
echo "known failures: $(grep -vc '^#' "$f")"
