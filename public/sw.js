// Kabinet's service worker: offline reloads.
//
// - This build's assets (named under /pkg/<version>/) are kept when the worker installs and
//   served from the cache; another build's worker replaces this one at once and drops them.
// - A page is fetched from the network first; if no answer comes in a few seconds, the copy
//   kept last for this owner (signed-in session) is shown, marked for page.js with
//   data-offline-at. Pages are kept only when the server says so (x-kabinet-offline: keep):
//   never PDFs or one-time links.
// - Sign-in, sign-out and a change of child (x-kabinet-purge), or an answer for another
//   owner, forget every kept page.
//
// The server fills in VERSION and ASSETS (server/src/offline.rs).

const VERSION = "__KABINET_VERSION__";
const ASSETS = ["__KABINET_ASSETS__"];
const ASSET_CACHE = `kabinet-assets-${VERSION}`;
// Pages name their build's assets, so they go with them.
const PAGE_CACHE = `kabinet-pages-${VERSION}`;
const OWNER_KEY = "/__kabinet/owner";
const NETWORK_TIMEOUT_MS = 4000;

// Bumped by every purge: a page fetched before it is not kept after it.
let generation = 0;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(ASSET_CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([ASSET_CACHE, PAGE_CACHE]);
      for (const name of await caches.keys()) {
        if (name.startsWith("kabinet-") && !keep.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
      for (const client of await self.clients.matchAll({ type: "window" })) {
        client.postMessage({ type: "version", version: VERSION });
      }
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "purge") event.waitUntil(purge());
  else if (data.type === "keep" && typeof data.url === "string") event.waitUntil(keepUrl(data.url));
  else if (data.type === "version" && event.source) {
    event.source.postMessage({ type: "version", version: VERSION });
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "GET" && (url.pathname.startsWith("/pkg/") || ASSETS.includes(url.pathname))) {
    event.respondWith(asset(request));
  } else if (request.mode === "navigate" && request.method === "GET") {
    event.respondWith(page(event));
  } else if (request.mode === "navigate") {
    // A plain form post: never replayed from a cache, but a lost connection is said plainly.
    event.respondWith(
      fetch(request)
        .then(async (response) => {
          if (response.headers.get("x-kabinet-purge")) await purge();
          return response;
        })
        .catch(() => notice("Нет связи с сервером, действие не выполнено", "Когда связь вернётся, вернитесь на страницу и отправьте форму ещё раз.")),
    );
  }
  // Anything else (server functions, downloads) goes to the network untouched.
});

async function asset(request) {
  const cached = await caches.match(request, { cacheName: ASSET_CACHE });
  return cached || fetch(request);
}

async function page(event) {
  const request = event.request;
  const started = generation;
  const network = fetch(request).then((response) => {
    // Kept in the background: the browser gets the page as soon as it arrives.
    event.waitUntil(remember(request, response.clone(), started).catch(() => undefined));
    return response;
  });
  const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), NETWORK_TIMEOUT_MS));
  try {
    const first = await Promise.race([network, timeout]);
    if (first !== "timeout") return first;
    const kept = await keptCopy(request);
    return kept || (await network);
  } catch {
    const kept = await keptCopy(request);
    return kept || notice("Нет связи", "Эта страница ещё не открывалась на этом устройстве, поэтому без связи её не показать. Когда связь вернётся, страница откроется сама.", true);
  }
}

async function keepUrl(href) {
  const url = new URL(href, self.location.origin);
  if (url.origin !== self.location.origin) return;
  const started = generation;
  try {
    const response = await fetch(url.href, {
      credentials: "same-origin",
      redirect: "manual",
      headers: { accept: "text/html" },
    });
    await remember(new Request(url.href), response, started);
  } catch {
    // Offline: the copy kept before stays.
  }
}

/** Keeps a page the server allows to be kept, for its owner; an answer for another owner
 *  (someone signed in or out elsewhere) first forgets everyone else's pages. */
async function remember(request, response, started) {
  // A newer build's worker took over and dropped this build's caches: keep nothing more.
  if (!(await caches.has(ASSET_CACHE))) return;
  if (response.headers.get("x-kabinet-purge")) await purge();
  if (started !== generation) return;
  if (response.status !== 200 || response.headers.get("x-kabinet-offline") !== "keep") return;
  const owner = response.headers.get("x-kabinet-owner") || "";
  if (owner !== (await currentOwner())) {
    await purge();
    await setOwner(owner);
    // This page is the new owner's first: the purge above was for it.
    started = generation;
  }
  const headers = new Headers(response.headers);
  const body = await response.text();
  if (started !== generation) return;
  if (!(await caches.has(ASSET_CACHE))) return;
  const cache = await caches.open(PAGE_CACHE);
  await cache.put(stripHash(request.url), new Response(body, { status: 200, headers }));
}

async function keptCopy(request) {
  const cache = await caches.open(PAGE_CACHE);
  const kept = await cache.match(stripHash(request.url));
  if (!kept) return undefined;
  // The server's own time of the copy («04.12 19:30», Moscow): the worker never reads a clock.
  const label = (kept.headers.get("x-kabinet-kept-label") || "").replace(/[^0-9.: ]/g, "");
  const html = (await kept.text()).replace(/<html\b/i, `<html data-offline-at="${label}"`);
  return new Response(html, { status: 200, headers: kept.headers });
}

async function purge() {
  generation += 1;
  await caches.delete(PAGE_CACHE);
  await setOwner("");
}

async function currentOwner() {
  const cache = await caches.open(ASSET_CACHE);
  const found = await cache.match(OWNER_KEY);
  return found ? found.text() : "";
}

async function setOwner(owner) {
  if (!(await caches.has(ASSET_CACHE))) return;
  const cache = await caches.open(ASSET_CACHE);
  await cache.put(OWNER_KEY, new Response(owner));
}

function stripHash(href) {
  const url = new URL(href);
  url.hash = "";
  return url.href;
}

/** A page of our own: no connection and nothing kept, or a form that could not be sent. */
function notice(title, text, retryWhenOnline = false) {
  const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const css = ASSETS.find((a) => a.endsWith(".css"));
  const script = ASSETS.find((a) => a.endsWith("/page.js"));
  const html = `<!DOCTYPE html>
<html lang="ru"${retryWhenOnline ? ' data-offline-page="1"' : ""}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="kabinet-version" content="${VERSION}">
<title>${esc(title)} — Кабинет</title>
${css ? `<link rel="stylesheet" href="${css}">` : ""}
${script ? `<script type="module" src="${script}"></script>` : ""}
</head>
<body>
<a class="skip-link" href="#main">Перейти к содержанию</a>
<div id="net-banner" class="net-banner" role="status" aria-live="polite"></div>
<main id="main" class="page" tabindex="-1">
<h1>${esc(title)}</h1>
<p>${esc(text)}</p>
<p><a href="/">На главную</a></p>
</main>
</body>
</html>`;
  return new Response(html, {
    status: 503,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
    },
  });
}
