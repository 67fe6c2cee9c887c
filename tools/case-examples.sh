#!/usr/bin/env bash
# Prints the complaint-case examples of docs/examples.md: for each
# docs/examples/cases/*.sh (a client, their agreement, their message and the
# answers of steps 1-4), a fresh database walks the case with `kalm case`
# and shows the conversation script and the confirmation mail as the
# commands print them. Called by tools/examples.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
KALM=${KALM:-build/kalm}
KALM=$(cd "$(dirname "$KALM")" && pwd)/$(basename "$KALM")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo
echo "# Complaint cases: the conversation script and the confirmation mail"
echo
echo "Six cases walked through the five steps with \`kalm case\`, three in Dutch and"
echo "three in English. Each starts from the client's message; the answers of steps 1-4"
echo "are the \`kalm case next\` flags shown. The script is for the VA only (with their"
echo "limit as a private note); the mail is for the client and holds only what was agreed."
n=0
for f in docs/examples/cases/*.sh; do
  n=$((n + 1))
  unset TITLE CLIENT CLIENT_ARGS AGREEMENT_ARGS MESSAGE STEP1 STEP2 STEP3 STEP4
  # shellcheck disable=SC1090
  source "$f"
  export KALM_DB="sqlite:$work/$n.db"
  "$KALM" client add "$CLIENT" "${CLIENT_ARGS[@]}" >/dev/null
  "$KALM" agreement set "$CLIENT" "${AGREEMENT_ARGS[@]}" >/dev/null
  "$KALM" agreement confirm "$CLIENT" >/dev/null
  printf '%s\n' "$MESSAGE" > "$work/msg.txt"
  "$KALM" import "$work/msg.txt" --client "$CLIENT" --format text >/dev/null
  id=$("$KALM" timeline "$CLIENT" --json | sed -n 's/^      "id": \([0-9]*\),$/\1/p' | head -1)
  "$KALM" case open "$CLIENT" --message "$id" --title "$TITLE" >/dev/null
  for step in STEP1 STEP2 STEP3 STEP4; do
    declare -n answers=$step
    "$KALM" case next 1 "${answers[@]}" >/dev/null
  done
  echo
  echo "## $n. $TITLE"
  echo
  printf '%s\n' "$MESSAGE" | sed 's/^/> /'
  echo
  echo "Answers (\`$(basename "$f")\`):"
  echo
  for step in STEP1 STEP2 STEP3 STEP4; do
    declare -n answers=$step
    line="    kalm case next 1"
    for a in "${answers[@]}"; do
      if [[ "$a" == *" "* || "$a" == *"|"* || "$a" == *";"* ]]; then line+=" \"$a\""; else line+=" $a"; fi
    done
    echo "$line"
  done
  echo
  echo "    \$ kalm case script 1"
  "$KALM" case script 1 | sed 's/^/    /; s/^    $//'
  echo
  echo "    \$ kalm case confirm-mail 1 --me Eva"
  "$KALM" case confirm-mail 1 --me Eva | sed 's/^/    /; s/^    $//'
done
