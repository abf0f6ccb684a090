// Kabinet's page script. Plain JavaScript, so it works before the WASM arrives and on a page
// the service worker gives back without a connection. It:
// - registers the service worker and asks it to keep the pages visited in the app;
// - shows «Нет связи…» and disables actions on a page kept offline, and refreshes the page
//   when the connection returns;
// - sends every state-changing server-function call with an idempotency key, reused for a
//   retry of a call that got no answer, and answers «Нет связи с сервером, действие не
//   выполнено» for it; a read without a connection gets its last answer again;
// - keeps what was typed into forms across a reload (never passwords or codes);
// - loads a new build on the next navigation after a deployment;
// - applies the version for the visually impaired as it is chosen;
// - moves between pages and sends forms in place (the next page's body swapped in), searches
//   as one types in a `data-live` form, follows sliders in their `<output>`, and loads the
//   WASM only for a page with islands.

const VERSION = document.querySelector('meta[name="kabinet-version"]')?.content ?? "";
const root = document.documentElement;
// A kept copy carries the server's time of it («04.12 19:30»); "" when it is not known.
const keptAt = root.dataset.offlineAt ?? null;
const offlinePage = root.dataset.offlinePage === "1";
const NO_CONNECTION = "Нет связи с сервером, действие не выполнено";

// ---------------------------------------------------------------- connection banner

const banner = () => document.getElementById("net-banner");

function showBanner(lines) {
  const el = banner();
  if (!el) return;
  el.replaceChildren(
    ...lines.map((text, i) => {
      const p = document.createElement("p");
      p.textContent = text;
      if (i === 0) p.id = "net-banner-text";
      return p;
    }),
  );
  el.classList.add("net-banner--shown");
}

function hideBanner() {
  const el = banner();
  if (!el) return;
  el.replaceChildren();
  el.classList.remove("net-banner--shown");
}

// ---------------------------------------------------------------- actions on a kept page

const ACTION_CONTROLS = [
  "form:not([data-local]) button:not([type=button])",
  "form:not([data-local]) input[type=submit]",
  "button[data-server-action]",
  "a[download]",
  'a[href$=".pdf"]',
  'a[href*=".pdf?"]',
].join(",");
const WHY = "Нет связи с сервером: действие станет доступно, когда связь вернётся";

function disableActions(scope) {
  for (const el of scope.querySelectorAll(ACTION_CONTROLS)) {
    if (el.dataset.offlineDisabled) continue;
    el.dataset.offlineDisabled = "1";
    el.title = WHY;
    const described = el.getAttribute("aria-describedby");
    el.dataset.offlineDescribedby = described ?? "";
    el.setAttribute("aria-describedby", described ? `${described} net-banner-text` : "net-banner-text");
    if (el.tagName === "A") {
      el.dataset.offlineHref = el.getAttribute("href") ?? "";
      el.removeAttribute("href");
      el.setAttribute("aria-disabled", "true");
    } else {
      el.disabled = true;
    }
  }
}

if (keptAt !== null || offlinePage) {
  // Nothing may reach the server from here: a form sent with Enter is stopped too.
  document.addEventListener(
    "submit",
    (e) => {
      if (!e.target.closest?.("[data-local]")) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    },
    true,
  );
  const apply = () => {
    if (keptAt !== null) {
      showBanner([
        keptAt ? `Нет связи. Показаны данные на ${keptAt}` : "Нет связи. Показаны сохранённые данные",
        "Кнопки, которым нужен сервер, недоступны; страница обновится сама, когда связь вернётся.",
      ]);
    } else {
      showBanner(["Нет связи. Страница обновится сама, когда связь вернётся."]);
    }
    disableActions(document);
    new MutationObserver(() => disableActions(document)).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", apply);
  else apply();
  // Back online: the live page replaces the kept one.
  const tryLive = async () => {
    try {
      const res = await fetch("/healthz", { cache: "no-store" });
      if (res.ok) location.reload();
    } catch {
      // still offline
    }
  };
  window.addEventListener("online", tryLive);
  setInterval(tryLive, 10_000);
} else {
  // A live page: say so when the connection drops; actions then answer NO_CONNECTION.
  window.addEventListener("offline", () =>
    showBanner(["Нет связи с сервером. Действия не выполнятся, пока связь не вернётся; введённое не пропадёт."]),
  );
  window.addEventListener("online", hideBanner);
}

// ---------------------------------------------------------------- service worker

let stale = false;
let lastNavigation = 0;

/** A build other than this page's answered: the next navigation loads it whole. If the
 *  navigation just happened in the old WASM, load the new page now. */
function seen(version) {
  if (!version || !VERSION || version === VERSION || stale) return;
  stale = true;
  // Only after a move inside the app: a page just loaded whole is already the server's build,
  // and an older worker answering it (until it updates) must not reload it again and again.
  if (lastNavigation > 0 && performance.now() - lastNavigation < 5000) location.reload();
}

const worker = "serviceWorker" in navigator ? navigator.serviceWorker : null;
function tellWorker(message) {
  worker?.ready.then((reg) => reg.active?.postMessage(message)).catch(() => {});
}
let keepTimer = 0;
/** Asks the worker to keep the current page, once the person has stayed on it a moment. */
function keepThisPage(delay = 800) {
  clearTimeout(keepTimer);
  if (keptAt !== null || offlinePage) return;
  keepTimer = setTimeout(() => tellWorker({ type: "keep", url: location.href }), delay);
}

if (worker && !offlinePage) {
  const firstVisit = !worker.controller;
  worker
    .register("/sw.js", { scope: "/" })
    .then((reg) => {
      reg.addEventListener("updatefound", () => {
        const next = reg.installing;
        next?.addEventListener("statechange", () => {
          if (next.state === "activated") next.postMessage({ type: "version" });
        });
      });
    })
    .catch(() => {});
  worker.addEventListener("message", (e) => {
    if (e.data?.type === "version") seen(e.data.version);
  });
  // A page opened before the worker was there was not kept: keep it now.
  if (firstVisit) worker.ready.then(() => keepThisPage(0));
}

// The router moves between pages with pushState: those pages are kept too. After a
// deployment the move becomes a full load of the new build; without a connection, a full load
// too, so the worker can show the kept copy of the next page.
for (const name of ["pushState", "replaceState"]) {
  const original = history[name].bind(history);
  history[name] = (state, title, url) => {
    const whole = stale || keptAt !== null || offlinePage || navigator.onLine === false;
    if (whole && url && name === "pushState") {
      location.assign(new URL(url, location.href).href);
      return;
    }
    original(state, title, url);
    if (name === "pushState") {
      lastNavigation = performance.now();
      keepThisPage();
    }
  };
}
window.addEventListener("popstate", () => {
  if (stale) location.reload();
  else {
    keepThisPage();
    move(new Request(location.href), "none");
  }
});

// ---------------------------------------------------------------- server-function calls

const PENDING = "kabinet:pending-keys";

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A short fingerprint of a call (cyrb53): the same call retried has the same one; the
 *  call's content is not stored. */
function fingerprint(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function pendingKeys() {
  try {
    return JSON.parse(sessionStorage.getItem(PENDING) || "{}");
  } catch {
    return {};
  }
}
function savePendingKeys(all) {
  try {
    sessionStorage.setItem(PENDING, JSON.stringify(all));
  } catch {
    // storage full or off: keys then live for this page only
  }
}

// The server functions that change something (the server fills this in from
// app::api::STATE_CHANGING); every other call only reads.
const ACTIONS = new Set(["__KABINET_ACTIONS__"]);
// The last answer to each read on this page: without a connection a read gets it again, so
// what is on the screen stays there instead of turning into an error.
const lastAnswers = new Map();

function offlineAnswer() {
  return new Response(JSON.stringify({ kind: "network", message: NO_CONNECTION }), {
    status: 503,
    headers: { "content-type": "application/json" },
  });
}

async function read(request, print) {
  let response;
  try {
    response = await realFetch(request);
  } catch (e) {
    if (e?.name === "AbortError") throw e;
    const last = lastAnswers.get(print);
    return last ? new Response(last.body, { status: 200, headers: last.headers }) : offlineAnswer();
  }
  seen(response.headers.get("x-kabinet-version"));
  if (response.ok) {
    const body = await response.clone().text();
    lastAnswers.delete(print);
    lastAnswers.set(print, { body, headers: { "content-type": response.headers.get("content-type") ?? "application/json" } });
    if (lastAnswers.size > 100) lastAnswers.delete(lastAnswers.keys().next().value);
  }
  if (response.headers.get("x-kabinet-purge")) forgetPrivate();
  return response;
}

const realFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (url.origin !== location.origin || !url.pathname.startsWith("/api/") || request.method !== "POST") {
    return realFetch(request);
  }
  const print = fingerprint(`${url.pathname}\n${await request.clone().text()}`);
  if (!ACTIONS.has(url.pathname)) return read(request, print);
  const pending = pendingKeys();
  const key = pending[print]?.key ?? newKey();
  pending[print] = { key };
  savePendingKeys(pending);
  const headers = new Headers(request.headers);
  headers.set("Idempotency-Key", key);
  let response;
  try {
    response = await realFetch(new Request(request, { headers }));
  } catch (e) {
    if (e?.name === "AbortError") throw e;
    // No answer: the call may or may not have been done. The key stays, so the retry is
    // answered with the first call's outcome if it was.
    return offlineAnswer();
  }
  // An answer: the next identical call is a new action.
  const now = pendingKeys();
  delete now[print];
  savePendingKeys(now);
  seen(response.headers.get("x-kabinet-version"));
  if (response.headers.get("x-kabinet-purge")) forgetPrivate();
  // A form the server refused comes back to its page with the reason in the address.
  else if (response.ok && !new URL(response.url || request.url).searchParams.has("__err")) {
    forgetForms(url.pathname);
    keepThisPage(1500);
  }
  return response;
};

/** Sign-out or a change of child: kept pages and typed forms go. */
function forgetPrivate() {
  tellWorker({ type: "purge" });
  try {
    for (const k of Object.keys(sessionStorage)) if (k.startsWith(FORMS)) sessionStorage.removeItem(k);
    sessionStorage.removeItem(PENDING);
  } catch {
    // nothing kept
  }
}

// ---------------------------------------------------------------- forms kept across a reload

const FORMS = "kabinet:form:";
const NOT_KEPT_TYPES = new Set(["password", "hidden", "file", "submit", "button", "reset", "image"]);

function keptForm(form) {
  return form.method === "post" && !form.hasAttribute("data-local") && !form.closest("[data-no-keep]");
}
function keepable(el) {
  if (!el.name || NOT_KEPT_TYPES.has(el.type)) return false;
  const auto = el.getAttribute("autocomplete") || "";
  if (auto === "one-time-code" || auto.includes("password")) return false;
  return !el.closest("[data-no-keep]");
}
function formKey(form) {
  const action = form.getAttribute("action") || "";
  const same = Array.from(document.forms).filter((f) => (f.getAttribute("action") || "") === action);
  return `${FORMS}${location.pathname}${location.search}|${action}|${same.indexOf(form)}`;
}

function saveForm(form) {
  const values = {};
  let any = false;
  for (const el of form.elements) {
    if (!keepable(el)) continue;
    if (el.type === "checkbox" || el.type === "radio") {
      values[`${el.name}=${el.value}`] = el.checked;
    } else if (el.tagName === "SELECT" && el.multiple) {
      values[el.name] = Array.from(el.selectedOptions, (o) => o.value);
    } else {
      values[el.name] = el.value;
    }
    any = true;
  }
  try {
    if (any) sessionStorage.setItem(formKey(form), JSON.stringify(values));
  } catch {
    // storage full or off
  }
}

function restoreForms(announce) {
  for (const form of document.forms) {
    if (!keptForm(form)) continue;
    let saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(formKey(form)) || "null");
    } catch {
      saved = null;
    }
    if (!saved) continue;
    for (const el of form.elements) {
      if (!keepable(el)) continue;
      let changed = false;
      if (el.type === "checkbox" || el.type === "radio") {
        const v = saved[`${el.name}=${el.value}`];
        if (typeof v === "boolean" && v !== el.checked) {
          el.checked = v;
          changed = true;
        }
      } else if (el.tagName === "SELECT" && el.multiple) {
        const v = saved[el.name];
        if (Array.isArray(v)) {
          for (const o of el.options) o.selected = v.includes(o.value);
          changed = true;
        }
      } else if (typeof saved[el.name] === "string" && saved[el.name] !== el.value) {
        el.value = saved[el.name];
        changed = true;
      }
      // After hydration the app learns of the value as if it had been typed.
      if (changed && announce) {
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  }
}

function forgetForms(action) {
  try {
    for (const k of Object.keys(sessionStorage)) {
      if (k.startsWith(FORMS) && k.includes(`|${action}|`)) sessionStorage.removeItem(k);
    }
  } catch {
    // nothing kept
  }
}

const onEdit = (e) => {
  const form = e.target.form;
  if (form && keptForm(form) && keepable(e.target)) saveForm(form);
};
document.addEventListener("input", onEdit, true);
document.addEventListener("change", onEdit, true);
restoreForms(false);
document.addEventListener("kabinet:hydrated", () => restoreForms(true));

// ---------------------------------------------------------------- version for the visually impaired

const A11Y_ATTRS = ["size", "scheme", "font", "images"];

function applyA11y(value) {
  const parts = value ? value.split(".") : null;
  if (parts && parts.length === 4) {
    root.dataset.a11y = value;
    A11Y_ATTRS.forEach((name, i) => {
      root.dataset[`a11y${name[0].toUpperCase()}${name.slice(1)}`] = parts[i];
    });
    document.cookie = `a11y=${value}; Path=/; Max-Age=31536000; SameSite=Lax`;
  } else {
    delete root.dataset.a11y;
    for (const name of A11Y_ATTRS) delete root.dataset[`a11y${name[0].toUpperCase()}${name.slice(1)}`];
    document.cookie = "a11y=; Path=/; Max-Age=0; SameSite=Lax";
  }
}

function chosenA11y(form) {
  const get = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value;
  const values = A11Y_ATTRS.map(get);
  return values.every(Boolean) ? values.join(".") : null;
}

function syncA11yForm() {
  const form = document.querySelector("form.a11y-form");
  const value = root.dataset.a11y;
  if (!form || !value) return;
  value.split(".").forEach((v, i) => {
    const input = form.querySelector(`input[name="${A11Y_ATTRS[i]}"][value="${v}"]`);
    if (input) input.checked = true;
  });
}

// A page kept offline was written with the settings of its day: today's apply.
{
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("a11y="));
  const value = cookie ? cookie.slice(5) : "";
  if ((value || "") !== (root.dataset.a11y || "")) applyA11y(value);
  syncA11yForm();
}

document.addEventListener("change", (e) => {
  const form = e.target.closest?.("form.a11y-form");
  if (form) applyA11y(chosenA11y(form));
});
document.addEventListener(
  "submit",
  (e) => {
    const form = e.target;
    if (!form.matches?.("form.a11y-form")) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    applyA11y(e.submitter?.name === "off" ? null : chosenA11y(form));
    if (e.submitter?.name === "off") form.closest("details")?.removeAttribute("open");
  },
  true,
);

// ---------------------------------------------------------------- islands
// A page is complete server HTML. The parts that answer as one types (`<leptos-island>`: live
// checks, «Я не робот») come to life from the WASM, which only a page with islands loads, once
// per visit. `data-hydrated` on <body> then says the whole page is interactive.

let islandsModule = null;

function interactive() {
  document.body.dataset.hydrated = "1";
  document.dispatchEvent(new Event("kabinet:hydrated"));
}

async function hydrateIslands() {
  // An island inside another is hydrated by the outer one.
  const islands = [...document.querySelectorAll("leptos-island")].filter(
    (el) => !el.parentElement?.closest("leptos-island"),
  );
  if (islands.length > 0) {
    try {
      islandsModule ??= import(`/pkg/${VERSION}/kabinet.js`).then(async (mod) => {
        await mod.default({ module_or_path: `/pkg/${VERSION}/kabinet.wasm` });
        mod.hydrate();
        return mod;
      });
      const mod = await islandsModule;
      for (const el of islands) {
        const island = mod[el.dataset.component];
        if (island) await island(el);
        else console.warn(`Кабинет: нет части ${el.dataset.component} в этой сборке`);
      }
    } catch (e) {
      // The page still works as HTML: its forms post without the live checks.
      islandsModule = null;
      console.error("Кабинет: интерактивные части не загрузились", e);
      return;
    }
  }
  interactive();
}

// ---------------------------------------------------------------- moves inside the app
// A link or a form inside the app fetches the next page and puts its body in place of this
// one's: nothing is loaded twice and a refused form comes back with its message where it was
// sent from. A state-changing call goes through the keyed `fetch` above, so a call without an
// answer says NO_CONNECTION in place and its retry is done once. Without a connection, after
// a deployment, or on a kept page, the browser loads the page whole (the worker then shows
// the kept copy).

let moving = 0;
const IN_PLACE = "x-kabinet-in-place";

/** What works only with this script is put in place (`<template data-js-only>`: inert and
 *  unseen without it). */
function showScripted() {
  for (const t of document.querySelectorAll("template[data-js-only]")) t.replaceWith(t.content.cloneNode(true));
}

/** Whether `url` is a page of this app (downloads have a file name or `download`). */
function appPage(url) {
  return url.origin === location.origin && !url.pathname.split("/").pop().includes(".");
}

function wholeLoads() {
  return stale || keptAt !== null || offlinePage || navigator.onLine === false;
}

/** The address to show: the server's error for a refused form is on the page, not in it. */
function shownUrl(url) {
  const u = new URL(url);
  u.searchParams.delete("__path");
  u.searchParams.delete("__err");
  return u.href;
}

function formMessage(form, text) {
  let el = form.querySelector(":scope > [data-sent-message]");
  if (!el) {
    el = document.createElement("p");
    el.className = "alert alert--error";
    el.setAttribute("role", "alert");
    el.dataset.sentMessage = "";
    form.prepend(el);
  }
  el.textContent = text;
}

/** Puts the next page's body in place. `carry`: the field being typed into keeps its focus,
 *  value and caret (a search that follows the typing must not eat what came after it). */
function swap(doc, carry) {
  const typing = document.activeElement;
  const kept =
    carry && typing?.id && "value" in typing
      ? { id: typing.id, value: typing.value, start: typing.selectionStart, end: typing.selectionEnd }
      : null;
  document.title = doc.title;
  const next = doc.documentElement;
  for (const a of [...root.attributes]) if (!next.hasAttribute(a.name)) root.removeAttribute(a.name);
  for (const a of next.attributes) root.setAttribute(a.name, a.value);
  document.body.replaceWith(document.adoptNode(doc.body));
  const el = kept && document.getElementById(kept.id);
  if (el && "value" in el) {
    el.value = kept.value;
    el.focus({ preventScroll: true });
    try {
      el.setSelectionRange(kept.start, kept.end);
    } catch {
      // a field without a caret (a select, a number)
    }
  }
}

async function move(request, how, form) {
  const mine = ++moving;
  // A search still waiting for its pause would take the person back from where they went.
  if (how !== "live") clearTimeout(liveTimer);
  const buttons = form ? [...form.querySelectorAll("button:not([type=button]), input[type=submit]")] : [];
  for (const b of buttons) b.disabled = true;
  form?.setAttribute("aria-busy", "true");
  // What this page shows is about to be replaced: nothing in it may be clicked meanwhile (a
  // result of the previous search, say). A search as one types leaves its field alone.
  const main = how === "live" ? null : document.getElementById("main");
  if (main) {
    main.inert = true;
    main.setAttribute("aria-busy", "true");
  }
  let response;
  try {
    response = await fetch(request);
  } catch (e) {
    if (e?.name === "AbortError") {
      settle(main);
      return;
    }
    response = null;
  } finally {
    for (const b of buttons) b.disabled = false;
    form?.removeAttribute("aria-busy");
  }
  try {
    await arrive(mine, request, how, form, response);
  } finally {
    // Still here when nothing replaced it (superseded, refused in place, a whole load).
    settle(main);
  }
}

function settle(main) {
  if (!main) return;
  main.inert = false;
  main.removeAttribute("aria-busy");
}

async function arrive(mine, request, how, form, response) {
  if (mine !== moving) return;
  if (!response) {
    // A page without an answer: the browser asks again, and the worker has its copy.
    location.assign(request.url);
    return;
  }
  seen(response.headers.get("x-kabinet-version"));
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("text/html")) {
    if (request.method === "GET") {
      location.assign(request.url);
      return;
    }
    let message = NO_CONNECTION;
    try {
      message = (await response.json()).message || message;
    } catch {
      // not a server-function error
    }
    if (form?.isConnected) formMessage(form, message);
    return;
  }
  const html = await response.text();
  if (mine !== moving) return;
  const doc = new DOMParser().parseFromString(html, "text/html");
  const url = how === "stay" && !response.redirected ? location.href : shownUrl(response.url || request.url);
  const version = doc.querySelector('meta[name="kabinet-version"]')?.content;
  if (stale || (version && VERSION && version !== VERSION)) {
    location.assign(url);
    return;
  }
  const samePlace = url === location.href;
  swap(doc, how === "live");
  if (how === "push" && !samePlace) {
    history.pushState(null, "", url);
    window.scrollTo(0, 0);
  } else if (how !== "none" && how !== "stay") {
    // "replace" and "live": the address follows without a step back.
    history.replaceState(null, "", url);
  }
  restoreForms(false);
  syncA11yForm();
  showScripted();
  hydrateIslands();
}

document.addEventListener("click", (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest?.("a[href]");
  if (!a || a.target || a.hasAttribute("download") || wholeLoads()) return;
  const url = new URL(a.href, location.href);
  if (!appPage(url)) return;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  e.preventDefault();
  move(new Request(url), "push");
});

// On `window`, so that an island's own handler (a live check refusing to send) runs first.
window.addEventListener("submit", (e) => {
  const form = e.target;
  if (e.defaultPrevented || !(form instanceof HTMLFormElement) || form.target || form.hasAttribute("data-local")) return;
  const method = (e.submitter?.getAttribute("formmethod") || form.method).toUpperCase();
  const url = new URL(e.submitter?.getAttribute("formaction") || form.action, location.href);
  const data = new FormData(form, e.submitter);
  let request;
  let how = "push";
  if (method === "GET" && form.hasAttribute("data-live")) {
    clearTimeout(liveTimer);
    request = liveRequest(form);
    how = "live";
  } else if (method === "GET" && appPage(url)) {
    url.search = new URLSearchParams(data).toString();
    request = new Request(url);
  } else if (method === "POST" && url.origin === location.origin && url.pathname.startsWith("/api/")) {
    const body = form.enctype === "multipart/form-data" ? data : new URLSearchParams(data);
    request = new Request(url, { method: "POST", body, headers: { Accept: "text/html" } });
  } else if (method === "POST" && url.origin === location.origin && form.hasAttribute("data-in-place")) {
    // A form whose outcome is shown once (a password, codes): the server answers with this
    // page showing it, which stays at this address (a reload shows the form again).
    const body = form.enctype === "multipart/form-data" ? data : new URLSearchParams(data);
    request = new Request(url, { method: "POST", body, headers: { Accept: "text/html", [IN_PLACE]: "1" } });
    how = "stay";
  } else {
    return;
  }
  if (wholeLoads() && method === "GET") return;
  e.preventDefault();
  move(request, how, form);
});

// ---------------------------------------------------------------- search as you type
// A GET form marked `data-live` searches again a moment after each change, replacing the
// address, so «Назад» leaves the search rather than stepping back through the keystrokes.

const LIVE_PAUSE_MS = 250;
let liveTimer = 0;

function liveRequest(form) {
  const url = new URL(form.action, location.href);
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (value !== "") params.append(name, value);
  url.search = params.toString();
  return new Request(url);
}

function liveChange(e) {
  const form = e.target.form;
  if (!form?.hasAttribute("data-live") || wholeLoads()) return;
  // An answer to what was asked before this change is out of date.
  moving++;
  clearTimeout(liveTimer);
  liveTimer = setTimeout(() => {
    const request = liveRequest(form);
    if (request.url !== location.href) move(request, "live");
  }, LIVE_PAUSE_MS);
}
document.addEventListener("input", liveChange);
document.addEventListener("change", liveChange);

// ---------------------------------------------------------------- sliders
// A range input's value is shown in the `<output for=its id>` beside it, with the output's
// `data-unit`, as it moves.

document.addEventListener("input", (e) => {
  const el = e.target;
  if (el.type !== "range" || !el.id) return;
  for (const out of document.querySelectorAll(`output[for~="${CSS.escape(el.id)}"]`)) {
    out.value = `${el.value}${out.dataset.unit ?? ""}`;
  }
});

showScripted();
hydrateIslands();
