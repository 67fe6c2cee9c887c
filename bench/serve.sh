#!/usr/bin/env bash
# The server under load (docs/performance.md): wrk on loopback against
# POST /api/v1/analyze and GET /api/v1/clients/{id}/timeline (a client with
# 500 imported WhatsApp messages), with a logged-in session; idle and loaded
# RSS of `kalm serve`. wrk and the server share the machine's cores.
# Usage: bash bench/serve.sh   (after `make build`; needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
KALM=$PWD/build/kalm
PORT=${PORT:-18181}
W=$(mktemp -d /tmp/kalm-serve-bench.XXXXXX)
export KALM_DB=sqlite:$W/k.db
cleanup() { [ -n "${PID:-}" ] && kill -TERM "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "benchmark-password" | $KALM user add bench@example.nl --workspace Bench >/dev/null
$KALM client add Sanne --workspace Bench >/dev/null
build/bench/kalm_gen_exports whatsapp 500 "$W/chat.txt"
$KALM import "$W/chat.txt" --client Sanne --me Eva --tz UTC --workspace Bench >/dev/null
$KALM serve --port "$PORT" --threads 2 >"$W/log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/openapi.json" && break; sleep 0.1; done
echo "idle RSS: $(awk '/VmRSS/{printf "%.1f MB", $2/1024}' /proc/$PID/status)"
RESP=$(curl -s -D "$W/h" -X POST "http://127.0.0.1:$PORT/api/v1/session" \
  -d '{"email":"bench@example.nl","password":"benchmark-password"}')
export KALM_CSRF=$(echo "$RESP" | sed 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/')
export KALM_COOKIE=$(grep -i '^set-cookie' "$W/h" | sed 's/^[^:]*: //; s/;.*//')
cat > "$W/analyze.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"text":"Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?! Dit kan echt niet."}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("KALM_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("KALM_CSRF")
LUA
cat > "$W/review.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"draft":"Hoi Sanne,\\n\\nZoals ik al zei wacht ik nog op jouw cijfers!! Ik kijk er binnenkort naar.\\n\\nGroetjes, Eva","reply_to":"Waarom is het verslag NOG steeds niet af?! Ik had het gisteren al nodig.","rewrite":true}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("KALM_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("KALM_CSRF")
LUA
cat > "$W/get.lua" <<'LUA'
wrk.headers["Cookie"] = os.getenv("KALM_COOKIE")
LUA
run() {  # label, lua, path
  echo
  echo "== $1"
  wrk -t2 -c32 -d10s --latency -s "$2" "http://127.0.0.1:$PORT$3" |
    grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx|Socket errors"
}
run "GET /api/v1/openapi.json (reference: no store, no analysis; the server's floor)" "$W/get.lua" /api/v1/openapi.json
run "POST /api/v1/analyze (one short message)" "$W/analyze.lua" /api/v1/analyze
run "POST /api/v1/review (the composer's request per pause in typing)" "$W/review.lua" /api/v1/review
run "GET /api/v1/clients/1/timeline (500 messages with analyses)" "$W/get.lua" /api/v1/clients/1/timeline
run "GET /api/v1/clients?summary=1 (the dashboard, one client of 500 messages)" "$W/get.lua" "/api/v1/clients?summary=1"
run "GET /assets/app.js (the embedded UI bundle)" "$W/get.lua" /assets/app.js
echo
echo "RSS after the runs: $(awk '/VmRSS/{printf "%.1f MB", $2/1024}' /proc/$PID/status)"
