import { test, expect, Page, Browser, Locator } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import { LoginPage } from "./pages/login";
import { newTherapist } from "./pages/specialist";
import { expectAccessible } from "./axe";

// axe-core runs in the page, so with JavaScript (the "js" project); the pages are the same
// server HTML without it. Only the @nojs test runs in the "nojs" project.

/** Every page of the app, as a pattern, read from the router in app/src/lib.rs. */
function appRoutes(): { pattern: string; re: RegExp }[] {
  const source = fs.readFileSync(path.resolve(__dirname, "../../app/src/lib.rs"), "utf8");
  const routes: string[] = [];
  let prefix = "";
  for (const line of source.split("\n")) {
    const parent = line.match(/<ParentRoute path=path!\("([^"]*)"\)/);
    if (parent) {
      prefix = parent[1];
      continue;
    }
    if (line.includes("</ParentRoute>")) {
      prefix = "";
      continue;
    }
    const route = line.match(/<Route path=path!\("([^"]*)"\)/);
    if (route) routes.push(prefix && route[1] ? `${prefix}/${route[1]}` : prefix || route[1]);
  }
  return routes.map((pattern) => ({
    pattern,
    re: new RegExp(`^${pattern.replace(/:[a-z_]+/g, "[^/]+")}$`),
  }));
}

const ROUTES = appRoutes();
const visited = new Set<string>();

function routeOf(pathname: string): string | undefined {
  return ROUTES.find((r) => r.re.test(pathname))?.pattern;
}

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "1");
}

async function as(browser: Browser, login?: string, password?: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
  const page = await ctx.newPage();
  if (login && password) {
    const form = new LoginPage(page);
    await form.open();
    await hydrated(page);
    await form.login(login, password);
    await expect(page).not.toHaveURL(/\/login/);
  }
  return page;
}

/** Opens `start` and every page of the app linked from the pages it reaches (one of each
 *  route), running axe-core on each. */
async function crawl(page: Page, start: string[], limit = 40) {
  const queue = [...start];
  const seen = new Set<string>();
  const problems: string[] = [];
  while (queue.length > 0 && seen.size < limit) {
    const href = queue.shift()!;
    const route = routeOf(new URL(href, "http://x").pathname);
    if (!route || seen.has(route)) continue;
    seen.add(route);
    const res = await page.goto(href);
    expect(res?.status(), href).toBeLessThan(500);
    await hydrated(page);
    const landed = routeOf(new URL(page.url()).pathname);
    if (landed) {
      seen.add(landed);
      visited.add(landed);
    }
    try {
      await expectAccessible(page, href);
    } catch (e) {
      problems.push(String(e));
    }
    const links = await page
      .locator("a[href^='/']:not([download])")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")!).filter((h) => !/\.(pdf|csv|ics)(\?|$)/.test(h)));
    for (const link of links) {
      const r = routeOf(new URL(link, "http://x").pathname);
      if (r && !seen.has(r)) queue.push(link);
    }
  }
  expect(problems, "axe-core found violations").toEqual([]);
}

test.describe.serial("axe-core on every page", () => {
  test.setTimeout(240_000);

  test("guests", async ({ browser }) => {
    const page = await as(browser);
    await crawl(page, [
      "/",
      "/login",
      "/register",
      "/register/sent",
      "/register/teacher",
      "/forgot",
      "/confirm?token=none",
      "/profile/confirm-email?token=none",
      "/providers/apply",
      "/dpo/courses",
      "/pfdo/navigator",
      "/pfdo/news",
      "/pfdo/events",
      "/no-such-page",
    ]);
    await page.context().close();
  });

  for (const [who, login, password, start] of [
    ["a specialist", "112-233-445 95", "Demo-Vrach-2026", ["/cabinet", "/nmo/start", "/nmo/plan", "/nmo/elements", "/nmo/documents/new", "/profile", "/support"]],
    ["an НМО provider", "akademia", "Demo-Provider-2026", ["/provider", "/provider/elements/new?kind=module"]],
    ["the admin", "admin", "Demo-Admin-2026", ["/admin/support", "/admin/organisations", "/admin/providers"]],
    ["a parent", "9901101325", "Demo-Roditel-2026", ["/pfdo", "/pfdo/navigator", "/pfdo/contracts?tab=active", "/pfdo/settings", "/pfdo/schedule", "/pfdo/portfolio"]],
    ["an operator", "operator", "Demo-Operator-2026", ["/operator", "/operator/certificates", "/operator/certificates/new", "/operator/news", "/operator/registries"]],
    ["a teacher", "orlova@demo.kabinet.local", "Demo-Uchitel-2026", ["/dpo", "/dpo/courses", "/dpo/record-book"]],
    ["a school head", "direktor@demo.kabinet.local", "Demo-Direktor-2026", ["/dpo/school"]],
    ["a ДПО provider", "iro", "Demo-Iro-2026", ["/provider/dpo"]],
  ] as const) {
    test(who, async ({ browser }) => {
      const page = await as(browser, login, password);
      await crawl(page, [...start]);
      await page.context().close();
    });
  }

  test("a ПФДО provider", async ({ browser }) => {
    const page = await as(browser, "raduga", "Demo-Raduga-2026");
    // The list starts on a tab with something in it (the seed's finished «Палитра» at least),
    // so a contract's own page is reached too.
    await page.goto("/provider/pfdo/contracts");
    const tabs = await page
      .locator("[data-testid^='tab-']")
      .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href")!, text: a.textContent ?? "" })));
    const full = tabs.find((t) => !/\(0\)/.test(t.text));
    expect(full, "a tab with contracts").toBeTruthy();
    await crawl(page, [full!.href, "/provider/pfdo/apply", "/provider/pfdo/events"]);
    await page.context().close();
  });

  test("a specialist studying a module", async ({ browser }) => {
    // A fresh specialist, so no other journey's plan changes: the module's own page.
    const page = await as(browser);
    await newTherapist(page, page.request, "Лебедева");
    await page.goto("/nmo/elements?q=артериальная гипертензия");
    await page.getByRole("link", { name: /Артериальная гипертензия/ }).click();
    await hydrated(page);
    await page.getByRole("button", { name: "Включить в план" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Элемент включён в план." })).toBeVisible();
    await crawl(page, ["/nmo/plan"]);
    await page.context().close();
  });

  test("together they reached every page of the app", () => {
    const missing = ROUTES.map((r) => r.pattern).filter((p) => !visited.has(p));
    expect(missing).toEqual([]);
  });
});

test("the dark theme and each scheme for the visually impaired pass axe-core too", async ({ browser }) => {
  test.setTimeout(180_000);
  const base = test.info().project.use.baseURL!;
  for (const cookie of [
    { name: "theme", value: "dark" },
    { name: "a11y", value: "1.bw.sans.on" },
    { name: "a11y", value: "2.wb.serif.on" },
    { name: "a11y", value: "3.blue.sans.off" },
  ]) {
    const ctx = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
    await ctx.addCookies([{ ...cookie, url: base }]);
    const page = await ctx.newPage();
    for (const p of ["/", "/login", "/dpo/courses", "/pfdo/navigator", "/register"]) {
      await page.goto(p);
      await hydrated(page);
      await expectAccessible(page, `${p} with ${cookie.name}=${cookie.value}`);
    }
    await ctx.close();
  }
});

test("the version for the visually impaired: size, colours, font and images, remembered", async ({ page }) => {
  await page.goto("/dpo/courses");
  await hydrated(page);
  const html = page.locator("html");
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const normal = await size();
  await page.getByText("Версия для слабовидящих").click();
  await page.getByLabel("Самый крупный шрифт").check();
  await expect(html).toHaveAttribute("data-a11y-size", "3");
  expect(await size()).toBe(normal * 2);
  await page.getByLabel("Белым по чёрному").check();
  await expect(html).toHaveAttribute("data-a11y-scheme", "wb");
  const colours = await page.locator("h1").evaluate((h) => [getComputedStyle(h).color, getComputedStyle(document.body).backgroundColor]);
  expect(colours).toEqual(["rgb(255, 255, 255)", "rgb(0, 0, 0)"]);
  await page.getByLabel("С засечками").check();
  await expect(html).toHaveAttribute("data-a11y-font", "serif");
  expect(await page.locator("h1").evaluate((h) => getComputedStyle(h).fontFamily)).toMatch(/serif/i);
  await page.getByLabel("Скрыть").check();
  await expect(html).toHaveAttribute("data-a11y-images", "off");
  await expect(page.locator(".a11y__eye")).toBeHidden();

  // Remembered: a new page is rendered so by the server, without a flash.
  await page.goto("/login");
  await expect(html).toHaveAttribute("data-a11y", "3.wb.serif.off");
  await expect(page.getByLabel("Белым по чёрному")).toBeChecked();
  await expectAccessible(page, "/login in the version for the visually impaired");

  // «Обычная версия» returns to the usual one.
  await page.getByRole("button", { name: "Обычная версия" }).click();
  await expect(html).not.toHaveAttribute("data-a11y", /.*/);
  expect(await size()).toBe(normal);
  await page.reload();
  await expect(html).not.toHaveAttribute("data-a11y", /.*/);
});

test("@nojs the version for the visually impaired works without JavaScript", async ({ page }) => {
  await page.goto("/pfdo/navigator");
  await page.getByText("Версия для слабовидящих").click();
  await page.getByLabel("Очень крупный шрифт").check();
  await page.getByLabel("Тёмно-синим по голубому").check();
  await page.getByRole("button", { name: "Применить настройки" }).click();
  await expect(page).toHaveURL(/\/pfdo\/navigator$/);
  await expect(page.locator("html")).toHaveAttribute("data-a11y-scheme", "blue");
  await expect(page.locator("html")).toHaveAttribute("data-a11y-size", "2");
  await page.getByRole("button", { name: "Обычная версия" }).click();
  await expect(page.locator("html")).not.toHaveAttribute("data-a11y", /.*/);
});

test("form errors are announced: aria-invalid, aria-describedby and an alert", async ({ page }) => {
  await page.goto("/register");
  await hydrated(page);
  await page.getByRole("button", { name: /Зарегистрироваться|Продолжить|Отправить/ }).first().click();
  const invalid = page.locator("[aria-invalid='true']");
  await expect(invalid.first()).toBeVisible();
  const described = await invalid.first().getAttribute("aria-describedby");
  expect(described).toBeTruthy();
  const errorId = described!.split(" ").find((id) => id.endsWith("-error"))!;
  await expect(page.locator(`#${errorId}`)).not.toBeEmpty();
  await expect(page.locator(`#${errorId}`)).toHaveAttribute("role", "alert");
  await expectAccessible(page, "/register with errors");

  await page.goto("/login");
  await hydrated(page);
  await new LoginPage(page).login("112-233-445 95", "не-тот-пароль");
  await expect(page.getByRole("alert").filter({ hasText: /Неверн/ })).toBeVisible();
  await expectAccessible(page, "/login with an error");
});

/** Presses Tab until `target` has the focus, checking that every stop shows it. */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const [isTarget, visible] = await Promise.all([
      target.evaluate((el) => el === document.activeElement).catch(() => false),
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return true;
        const s = getComputedStyle(el);
        return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
      }),
    ]);
    expect(visible, "the focused element shows the focus").toBe(true);
    if (isTarget) return;
  }
  throw new Error(`Tab never reached ${target}`);
}

test("a whole journey by keyboard only: sign in, find a programme, apply and cancel", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/");
  await hydrated(page);
  await tabTo(page, page.getByRole("link", { name: "Перейти к содержанию" }));
  await tabTo(page, page.getByRole("navigation", { name: "Вход" }).getByRole("link", { name: "Войти" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/login$/);
  await hydrated(page);
  await tabTo(page, page.locator("#login"));
  await page.keyboard.type("9901101327");
  await tabTo(page, page.getByLabel("Пароль"));
  await page.keyboard.type("Demo-9901101327");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/pfdo$/);
  await hydrated(page);

  await tabTo(page, page.getByRole("link", { name: "Навигатор" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/pfdo\/navigator/);
  await tabTo(page, page.getByTestId("navigator-q"));
  await page.keyboard.type("эколог");
  await expect(page.getByTestId("programme-card")).toHaveCount(1);
  await tabTo(page, page.getByRole("link", { name: "Юный эколог: исследования природы" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/pfdo\/programmes\/\d+/);
  await tabTo(page, page.getByTestId("group").filter({ hasText: "Группа 1" }).getByTestId("group-apply"));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/pfdo\/apply/);
  for (const c of ["confirm_apply", "confirm_family", "confirm_terms"]) {
    await tabTo(page, page.getByTestId(c));
    await page.keyboard.press("Space");
    await expect(page.getByTestId(c)).toBeChecked();
  }
  await tabTo(page, page.getByTestId("apply-submit"));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("notice")).toContainText("Заявка подана");
  await expect(page.getByTestId("contract-status")).toHaveText("Создан, ожидает подтверждения");
  await tabTo(page, page.getByTestId("cancel-application"));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("contract-status")).toHaveText("Отклонен без заключения");
  await expectAccessible(page, "the contract after the keyboard journey");
});
