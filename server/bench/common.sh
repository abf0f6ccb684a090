# Shared by `make bench` and `make lighthouse`: the release server on a fresh seeded SQLite
# database, and sign-ins as the demo users. Source it with BIN set; it sets BASE and DIR and
# stops the server on exit.
BIN=${BIN:?set BIN to the release kabinet binary}
PORT=${BENCH_PORT:-3200}
SITE=${LEPTOS_SITE_ROOT:-target/site}
BASE="http://127.0.0.1:$PORT"
DIR=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$DIR"' EXIT

export DATABASE_URL="sqlite://$DIR/bench.db?mode=rwc" KABINET_DATA_DIR="$DIR" KABINET_LOG=error KABINET_ADDR="127.0.0.1:$PORT"
"$BIN" seed-demo >/dev/null
"$BIN" serve & SERVER=$!
for _ in $(seq 1 100); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.1; done
curl -fs "$BASE/readyz" >/dev/null

# The session cookie of a demo user (`kabinet_session=…`), or nothing.
login_as() {
  curl -fs -o /dev/null -D - -X POST "$BASE/api/auth/login" \
    --data-urlencode "login=$1" --data-urlencode "password=$2" \
    | tr -d '\r' | sed -n 's/^set-cookie: \(kabinet_session=[^;]*\).*/\1/ip'
}

# Sets PAGE_COOKIE to the session of a demo user, signed in once per run; "" for a guest.
declare -A SESSIONS
page_cookie() { # login password
  PAGE_COOKIE=""
  [ -n "$1" ] || return 0
  [ -n "${SESSIONS[$1]:-}" ] || SESSIONS[$1]=$(login_as "$1" "$2")
  PAGE_COOKIE=${SESSIONS[$1]}
}

# Who opens each measured page: "path|login|password" (guests have no login).
PAGES=(
  "/||"
  "/login||"
  "/register||"
  "/cabinet|112-233-445 95|Demo-Vrach-2026"
  "/nmo/plan|112-233-445 95|Demo-Vrach-2026"
  "/nmo/elements|112-233-445 95|Demo-Vrach-2026"
  "/pfdo|9901101325|Demo-Roditel-2026"
  "/pfdo/navigator|9901101325|Demo-Roditel-2026"
  "/pfdo/contracts|9901101325|Demo-Roditel-2026"
  "/dpo|orlova@demo.kabinet.local|Demo-Uchitel-2026"
  "/dpo/courses|orlova@demo.kabinet.local|Demo-Uchitel-2026"
  "/provider|akademia|Demo-Provider-2026"
  "/operator|operator|Demo-Operator-2026"
)
