import { test, expect, Page } from "@playwright/test";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// A deployment mid-session: this test runs its own server, stops it, and starts the next
// build (the same site with one changed stylesheet) on the same port and database.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "the service worker needs JavaScript");

const bin = process.env.KABINET_BIN ?? path.resolve(__dirname, "../../target/release/kabinet");
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.resolve(__dirname, "../../target/site");

async function ready(url: string) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}

async function stop(server: ChildProcess) {
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  await exited;
}

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "1");
}

const version = (page: Page) => page.locator('meta[name="kabinet-version"]').getAttribute("content");

/** The version of the worker that controls the page. */
const workerVersion = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const sw = navigator.serviceWorker;
        sw.addEventListener("message", (e) => e.data?.type === "version" && resolve(e.data.version), { once: true });
        sw.controller?.postMessage({ type: "version" });
        setTimeout(() => resolve("none"), 2000);
      }),
  );

test("a new deployment is picked up on the next navigation, never mixing builds", async ({ browser }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kabinet-deploy-"));
  const first = path.join(dir, "site-1");
  const next = path.join(dir, "site-2");
  fs.cpSync(siteRoot, first, { recursive: true });
  fs.cpSync(siteRoot, next, { recursive: true });
  fs.appendFileSync(path.join(next, "pkg", "kabinet.css"), "\n/* the next deployment */\n");
  const port = 3150 + test.info().workerIndex;
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${dir}/deploy.db?mode=rwc`,
    KABINET_DATA_DIR: dir,
    KABINET_ADDR: `127.0.0.1:${port}`,
    KABINET_LOG: "warn",
  };
  execFileSync(bin, ["migrate"], { env });
  const serve = (site: string) => spawn(bin, ["serve"], { env: { ...env, LEPTOS_SITE_ROOT: site }, stdio: "ignore" });

  let server = serve(first);
  try {
    await ready(`${base}/readyz`);
    const ctx = await browser.newContext({ baseURL: base, locale: "ru-RU", timezoneId: "Europe/Moscow" });
    const page = await ctx.newPage();
    await page.goto("/");
    await hydrated(page);
    const v1 = (await version(page))!;
    await expect.poll(() => workerVersion(page)).toBe(v1);

    await stop(server);
    server = serve(next);
    await ready(`${base}/readyz`);
    const v2 = await (await fetch(`${base}/sw.js`)).text().then((t) => t.match(/const VERSION = "(\w+)"/)![1]);
    expect(v2).not.toBe(v1);
    const oldAssets: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes(`/pkg/${v1}/`)) oldAssets.push(r.url());
    });

    // The next navigation inside the app lands in the new build, whole.
    await page.getByRole("navigation", { name: "Вход" }).getByRole("link", { name: "Регистрация" }).click();
    await expect.poll(() => version(page), { timeout: 20_000 }).toBe(v2);
    await expect(page).toHaveURL(/\/register$/);
    await hydrated(page);
    const scripts = await page.evaluate(() =>
      Array.from(document.querySelectorAll("script[type=module], link[rel=stylesheet]"), (e) => (e as HTMLScriptElement).src || (e as HTMLLinkElement).href || e.textContent).join(" "),
    );
    expect(scripts).toContain(`pkg/${v2}`);
    expect(scripts).not.toContain(`pkg/${v1}`);
    expect(oldAssets, "nothing of the old build is loaded after the switch").toEqual([]);
    await expect.poll(() => workerVersion(page), { timeout: 20_000 }).toBe(v2);
    // The old build's kept pages and assets are gone with it.
    await expect
      .poll(() => page.evaluate((old) => globalThis.caches.keys().then((k) => k.filter((c) => c.includes(old))), v1))
      .toEqual([]);
    await ctx.close();
  } finally {
    await stop(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
