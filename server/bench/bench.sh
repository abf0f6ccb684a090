#!/usr/bin/env bash
# `make bench`: the release server on a seeded SQLite database, measured with wrk at fixed
# concurrency, one run each. Prints figures; fails only if something errors.
set -euo pipefail
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=2
source "$(dirname "$0")/common.sh"

COOKIE=$(login_as "112-233-445 95" Demo-Vrach-2026)
[ -n "$COOKIE" ] || { echo "login failed"; exit 1; }
curl -fs -H "Cookie: $COOKIE" "$BASE/cabinet" | grep -q "Иванова Мария Петровна" || { echo "cabinet did not render"; exit 1; }

# Иванова's plan gets every module and event of her specialty, so the plan page has work to do.
for kind in module event; do
  for id in $(curl -fs -H "Cookie: $COOKIE" -H "Origin: $BASE" -X POST "$BASE/api/plan/elements" \
      --data-urlencode "query[kind]=$kind" | grep -o '"id":[0-9]*,"kind"' | grep -o '[0-9]*'); do
    curl -fs -o /dev/null -H "Cookie: $COOKIE" -H "Origin: $BASE" -X POST "$BASE/api/plan/include" \
      --data-urlencode "element_id=$id"
  done
done
ITEMS=$(curl -fs -H "Cookie: $COOKIE" "$BASE/nmo/plan" | grep -o 'data-testid="plan-item"' | wc -l)
[ "$ITEMS" -gt 0 ] || { echo "the plan did not render"; exit 1; }

# The demo parent: the certificate page (its strip and cabinet), the navigator and contracts.
PARENT=$(login_as 9901101325 Demo-Roditel-2026)
[ -n "$PARENT" ] || { echo "parent login failed"; exit 1; }
curl -fs -H "Cookie: $PARENT" "$BASE/pfdo" | grep -q 'data-testid="strip-balance"' || { echo "the certificate page did not render"; exit 1; }

# ДПО: the demo teacher's «Мои курсы», the catalogue searched, and the head's approvals.
TEACHER=$(login_as orlova@demo.kabinet.local Demo-Uchitel-2026)
HEAD=$(login_as direktor@demo.kabinet.local Demo-Direktor-2026)
[ -n "$TEACHER" ] && [ -n "$HEAD" ] || { echo "ДПО login failed"; exit 1; }
curl -fs -H "Cookie: $TEACHER" "$BASE/dpo" | grep -q 'data-testid="dpo-application"' || { echo "«Мои курсы» did not render"; exit 1; }
NEXT_YEAR=$(( $(date +%Y) + 1 ))

# Every run asks as a browser does, so pages are measured with the compression they are sent with.
ACCEPT="Accept-Encoding: br, gzip"
declare -A RPS P50 P99 BYTES
run() { # name, extra wrk args… (the same args fetch the answer once with curl for its size)
  local name=$1; shift
  local out
  out=$(wrk -t$THREADS -c$CONNS -d$DURATION --latency -H "$ACCEPT" "$@")
  if grep -q "Non-2xx or 3xx responses" <<<"$out"; then echo "$name: errors"; echo "$out"; exit 1; fi
  RPS[$name]=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  P50[$name]=$(awk '$1=="50%" {print $2}' <<<"$out")
  P99[$name]=$(awk '$1=="99%" {print $2}' <<<"$out")
  BYTES[$name]=-
  [ "$1" = -s ] || BYTES[$name]=$(curl -fs -o /dev/null -w '%{size_download}' -H "$ACCEPT" "$@")
}

# Assets live under the build's version (see server/src/offline.rs).
VERSION=$(curl -fs "$BASE/login" | grep -o 'name="kabinet-version" content="[^"]*"' | sed 's/.*content="//; s/"$//')
[ -n "$VERSION" ] || { echo "no build version in the page"; exit 1; }
run static "$BASE/pkg/$VERSION/kabinet.css"
run login "$BASE/login"
run cabinet -H "Cookie: $COOKIE" "$BASE/cabinet"
run plan -H "Cookie: $COOKIE" "$BASE/nmo/plan"
run elements -H "Cookie: $COOKIE" "$BASE/nmo/elements?kind=event&specialty=all"
run pfdo_certificate -H "Cookie: $PARENT" "$BASE/pfdo"
run pfdo_navigator -H "Cookie: $PARENT" "$BASE/pfdo/navigator?q=%D0%BF%D1%80%D0%BE"
run pfdo_contracts -H "Cookie: $PARENT" "$BASE/pfdo/contracts?tab=active"
run dpo_my_courses -H "Cookie: $TEACHER" "$BASE/dpo"
run dpo_catalogue -H "Cookie: $TEACHER" "$BASE/dpo/courses?year=$NEXT_YEAR&q=%D0%BE%D0%B1%D1%80%D0%B0%D0%B7"
run dpo_school -H "Cookie: $HEAD" "$BASE/dpo/school?show=all"
PROVIDER=$(login_as akademia Demo-Provider-2026)
OPERATOR=$(login_as operator Demo-Operator-2026)
[ -n "$PROVIDER" ] && [ -n "$OPERATOR" ] || { echo "provider or operator login failed"; exit 1; }
run provider -H "Cookie: $PROVIDER" "$BASE/provider"
run operator -H "Cookie: $OPERATOR" "$BASE/operator"

# A state-changing call as it runs, and as a retry answered from the idempotency store.
export BENCH_COOKIE="$TEACHER"
BENCH_KEY="" run dpo_call -s server/bench/keyed-call.lua "$BASE/api/dpo/notifications/read"
BENCH_KEY="bench-retry-0001" run dpo_call_retried -s server/bench/keyed-call.lua "$BASE/api/dpo/notifications/read"

# The cabinet page while a login storm (wrong passwords, argon2 each) runs beside it.
wrk -t1 -c16 -d$DURATION -H "$ACCEPT" -s server/bench/login-storm.lua "$BASE/api/auth/login" > "$DIR/storm.txt" &
STORM=$!
sleep 1
run cabinet_storm -H "Cookie: $COOKIE" "$BASE/cabinet"
wait "$STORM"
STORM_RPS=$(awk '/^Requests\/sec/ {print $2}' "$DIR/storm.txt")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
echo
echo "wrk: $THREADS threads, $CONNS connections, $DURATION per run, $(nproc) cores, \"$ACCEPT\""
printf "%-28s %12s %10s %10s %12s %10s\n" "what" "req/s" "p50" "p99" "÷ static" "bytes"
for n in static login cabinet plan elements pfdo_certificate pfdo_navigator pfdo_contracts dpo_my_courses dpo_catalogue dpo_school provider operator dpo_call dpo_call_retried cabinet_storm; do
  printf "%-28s %12s %10s %10s %12s %10s\n" "$n" "${RPS[$n]}" "${P50[$n]}" "${P99[$n]}" "$(ratio "${RPS[$n]}" "${RPS[static]}")" "${BYTES[$n]}"
done
echo "login storm beside it: $STORM_RPS wrong logins/s; the plan page holds $ITEMS items"

for f in "$SITE"/pkg/*.wasm "$SITE"/pkg/*.js "$SITE"/pkg/*.css; do
  [ -f "$f" ] || continue
  printf "%s: raw %s B, brotli %s B, gzip %s B (precompressed: %s)\n" "$(basename "$f")" "$(stat -c %s "$f")" \
    "$( [ -f "$f.br" ] && stat -c %s "$f.br" || echo -)" "$( [ -f "$f.gz" ] && stat -c %s "$f.gz" || echo -)" \
    "$( [ -f "$f.br" ] && [ -f "$f.gz" ] && echo yes || echo NO)"
done
source "$(dirname "$0")/transfer.sh"
