#!/usr/bin/env bash
# Instruction profile of `kalm analyze --batch` (docs/performance.md): callgrind on
# the first 3,000 texts of ../shared/data/valence/train.tsv, then the inclusive
# instruction counts of the main stages. Slow (valgrind): about 10 s.
# Usage: bash bench/profile.sh [N]   (after `make build`; N texts, default 3000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000}
TEXTS=$(mktemp); OUT=$(mktemp)
trap 'rm -f "$TEXTS" "$OUT"' EXIT
awk -F"\t" -v n="$N" 'NR > 1 && NR <= n + 1 { print $4 }' ../shared/data/valence/train.tsv > "$TEXTS"
valgrind --tool=callgrind --callgrind-out-file="$OUT" build/kalm analyze --batch "$TEXTS" \
  > /dev/null 2> /dev/null
callgrind_annotate --inclusive=yes "$OUT" 2>/dev/null | awk -v n="$N" '
  { gsub(",", "", $1) }
  /PROGRAM TOTALS/ { printf "total            %6.0f M instructions\n", $1/1e6 }
  /src\/core\/lexicon.cc:kalm::core::Lexicon::Build/ && !b++ { printf "lexicon build    %6.0f M (once)\n", $1/1e6 }
  /src\/core\/tokenizer.cc:kalm::core::Tokenizer::Tokenize/ && !t++ { printf "tokenize         %6.1f k per text\n", $1/n/1e3 }
  /src\/core\/lexicon.cc:kalm::core::Lexicon::Match/ && !m++ { printf "match            %6.1f k per text\n", $1/n/1e3 }
  /src\/core\/analysis_json.cc:kalm::core::AppendJson/ && !j++ { printf "json             %6.1f k per text\n", $1/n/1e3 }
  /src\/core\/language.cc:kalm::core::LanguageIdentifier::Identify/ && !l++ { printf "language         %6.1f k per text\n", $1/n/1e3 }
  /src\/core\/mail.cc:kalm::core::OwnText/ && !o++ { printf "own text         %6.1f k per text\n", $1/n/1e3 }'
