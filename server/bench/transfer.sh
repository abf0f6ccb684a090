# What each page costs a phone: the bytes a browser fetches with `Accept-Encoding: br` for the
# page and everything it loads (the stylesheet, the scripts and what they import, the WASM),
# as transferred. Sourced by bench.sh after common.sh.

br_size() { # url [cookie] → bytes as transferred
  curl -fs -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: br' ${2:+-H "Cookie: $2"} "$1"
}

echo
echo "What a page costs a phone (brotli, as transferred, bytes):"
printf "%-18s %8s %8s %8s %8s %9s %9s %s\n" "page" "HTML" "CSS" "JS" "WASM" "JS+WASM" "total" "islands"
HEAVIEST=0
for entry in "${PAGES[@]}"; do
  IFS='|' read -r path login password <<<"$entry"
  page_cookie "$login" "$password"
  cookie=$PAGE_COOKIE
  html=$(br_size "$BASE$path" "$cookie")
  text=$(curl -fs --compressed ${cookie:+-H "Cookie: $cookie"} "$BASE$path")
  # Every asset the page names (stylesheet, module scripts, preloads), once each.
  mapfile -t assets < <(grep -o '/pkg/[0-9a-f]*/[A-Za-z0-9_.-]*' <<<"$text" | sort -u)
  # A page with islands has page.js load the islands' JS and WASM under the same version.
  if grep -q '<leptos-island' <<<"$text"; then
    version=$(grep -o '/pkg/[0-9a-f]*/' <<<"$text" | head -1)
    assets+=("${version}kabinet.js" "${version}kabinet.wasm")
  fi
  css=0 js=0 wasm=0
  for a in "${assets[@]}"; do
    n=$(br_size "$BASE$a")
    case "$a" in
      *.css) css=$((css + n)) ;;
      *.js) js=$((js + n)) ;;
      *.wasm) wasm=$((wasm + n)) ;;
    esac
  done
  total=$((html + css + js + wasm))
  [ "$total" -gt "$HEAVIEST" ] && HEAVIEST=$total
  islands=$( (grep -o '<leptos-island' <<<"$text" || true) | wc -l)
  printf "%-18s %8s %8s %8s %8s %9s %9s %s\n" "$path" "$html" "$css" "$js" "$wasm" "$((js + wasm))" "$total" "$islands"
done
echo "heaviest page: $HEAVIEST B (budget: JS+WASM ≤ 150000 B per page, total ≤ 300000 B)"
