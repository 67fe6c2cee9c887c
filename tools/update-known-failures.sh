#!/usr/bin/env bash
# Rewrites tests/core/golden/known-failures.txt from the current analyzer: the ids
# of every golden case that fails now. Run after improving the analyzer, and read
# the diff: a case that leaves the list is progress, one that enters it is a
# regression to fix or to explain in the commit message.
set -euo pipefail
cd "$(dirname "$0")/.."
f=tests/core/golden/known-failures.txt
ids=$(KALM_GOLDEN_ALL=1 build/tests/kalm_core_test --gtest_filter='Analyzer/Golden*' 2>/dev/null |
      grep -oE '^\S+\.golden:[0-9]+ \S+:' | awk '{print $2}' | tr -d ':' | sort -u || true)
{ head -3 "$f"; [ -n "$ids" ] && echo "$ids"; } > "$f.tmp"
mv "$f.tmp" "$f"
echo "known failures: $(grep -vc '^#' "$f")"
