#!/usr/bin/env bash
# Regenerates docs/quality.md: kalm eval and VADER on ../shared/data, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
(cd tools/quality && npm ci --no-audit --no-fund --silent)
node tools/quality/quality.mjs "$@"
