#!/usr/bin/env bash
# `make lighthouse`: Lighthouse 12 (mobile preset, simulated throttling) on each page of
# common.sh, signed in where the page needs it, with Debian's Chromium. A measurement, not a
# gate: prints the scores and the metrics per page.
set -euo pipefail
LH=${LIGHTHOUSE:?set LIGHTHOUSE to the lighthouse command}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
source "$(dirname "$0")/common.sh"

printf "%-18s %5s %5s %8s %8s %8s %6s %8s %9s\n" "page" "perf" "a11y" "FCP" "LCP" "TBT" "CLS" "TTI" "KiB"
for entry in "${PAGES[@]}"; do
  IFS='|' read -r path login password <<<"$entry"
  page_cookie "$login" "$password"
  headers='{}'
  [ -z "$PAGE_COOKIE" ] || headers="{\"Cookie\":\"$PAGE_COOKIE\"}"
  out="$DIR/lh.json"
  "$LH" "$BASE$path" --quiet --form-factor=mobile --only-categories=performance,accessibility \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    --extra-headers="$headers" --output=json --output-path="$out" >/dev/null 2>&1 \
    || { printf "%-18s lighthouse failed\n" "$path"; continue; }
  node -e '
    const r = require(process.argv[1]);
    const a = r.audits, s = (k) => a[k].numericValue;
    const ms = (k) => (s(k) / 1000).toFixed(1) + " s";
    console.log([
      process.argv[2].padEnd(18),
      String(Math.round(r.categories.performance.score * 100)).padStart(5),
      String(Math.round(r.categories.accessibility.score * 100)).padStart(5),
      ms("first-contentful-paint").padStart(8),
      ms("largest-contentful-paint").padStart(8),
      (Math.round(s("total-blocking-time")) + " ms").padStart(8),
      s("cumulative-layout-shift").toFixed(2).padStart(6),
      ms("interactive").padStart(8),
      String(Math.round(s("total-byte-weight") / 1024)).padStart(9),
    ].join(" "));
  ' "$out" "$path"
done
