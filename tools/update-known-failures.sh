#!/usr/bin/env bash
# Rewrites tests/core/golden/known-failures.txt from the current analyzer: the ids
# of every golden case that fails now. Run after improving the analyzer, and read
# the diff: a case that leaves the list is progress, one that enters it is a
# regression to fix or to explain in the commit message.
set -euo pipefail
cd "$(dirname "$0")/.."
f=tests/core/golden/known-failures.txt
out=$(KALM_GOLDEN_ALL=1 build/tests/kalm_core_test --gtest_filter='Analyzer/Golden*' 2>&1 || true)
if ! grep -qE '^\[  (PASSED|FAILED)  \]' <<<"$out"; then
  echo "update-known-failures: the golden test did not run:" >&2
  tail -5 <<<"$out" >&2
  exit 1
fi
ids=$(grep -oE '^\S+\.golden:[0-9]+ \S+:' <<<"$out" | awk '{print $2}' | tr -d ':' | sort -u || true)
{ head -3 "$f"; [ -n "$ids" ] && echo "$ids"; } > "$f.tmp"
mv "$f.tmp" "$f"
echo "known failures: $(grep -vc '^#' "$f")"
