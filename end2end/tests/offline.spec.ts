import { test, expect, Page, Browser } from "@playwright/test";
import { LoginPage } from "./pages/login";

// Offline reloads need the service worker, so these run with JavaScript only.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "the service worker needs JavaScript");

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "1");
}

async function signIn(page: Page, login: string, password: string) {
  const form = new LoginPage(page);
  await form.open();
  await hydrated(page);
  await form.login(login, password);
}

async function someone(browser: Browser, login: string, password: string, home: RegExp): Promise<Page> {
  const ctx = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
  const page = await ctx.newPage();
  await signIn(page, login, password);
  await expect(page).toHaveURL(home);
  await hydrated(page);
  return page;
}

/** The service worker controls the page. */
async function workerReady(page: Page) {
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        return Boolean(reg?.active && navigator.serviceWorker.controller);
      }),
    )
    .toBe(true);
}

/** Whether the worker keeps a copy of `path` (as the page sees its caches). */
async function kept(page: Page, path: string): Promise<boolean> {
  return page.evaluate(async (p) => {
    const url = new URL(p, location.href).href;
    for (const name of await caches.keys()) {
      if (!name.startsWith("kabinet-pages-")) continue;
      if (await (await caches.open(name)).match(url)) return true;
    }
    return false;
  }, path);
}

async function waitKept(page: Page, path: string) {
  await expect.poll(() => kept(page, path), { timeout: 15_000 }).toBe(true);
}

/** Goes offline and reloads: the kept copy, with the banner and every action disabled. */
async function reloadOffline(page: Page) {
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-offline-at", /^\d\d\.\d\d \d\d:\d\d$/);
  await expect(page.locator("#net-banner")).toContainText(/Нет связи\. Показаны данные на \d\d\.\d\d \d\d:\d\d/);
  await expect(page.locator("#net-banner")).toContainText("недоступны");
  await expect(page.getByRole("button", { name: "Выйти" })).toBeDisabled();
  const enabled = await page
    .locator("form:not([data-local]) button:not([type=button]), form:not([data-local]) input[type=submit]")
    .evaluateAll((els) => els.filter((e) => !(e as HTMLButtonElement).disabled).length);
  expect(enabled, "no action that needs the server stays enabled").toBe(0);
  await expect(page.getByRole("button", { name: "Выйти" })).toHaveAttribute("aria-describedby", /net-banner-text/);
}

/** Back online: the page refreshes itself into the live one. */
async function backOnline(page: Page) {
  await page.context().setOffline(false);
  await expect(page.locator("html")).not.toHaveAttribute("data-offline-at", /.*/, { timeout: 20_000 });
  await expect(page.locator("#net-banner")).toBeEmpty();
  await hydrated(page);
  await expect(page.getByRole("button", { name: "Выйти" })).toBeEnabled();
}

test("the cabinet and «Мой план» reload offline with a banner and actions off, and come back live", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "112-233-445 95", "Demo-Vrach-2026");
  await expect(page).toHaveURL(/\/cabinet$/);
  await hydrated(page);
  await workerReady(page);
  await waitKept(page, "/cabinet");
  const name = (await page.getByTestId("user-name").textContent())!;

  await reloadOffline(page);
  await expect(page.getByTestId("user-name")).toHaveText(name);
  await backOnline(page);

  // «Мой план», reached through the app's own navigation, is kept as well.
  await page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Мой план" }).click();
  await expect(page).toHaveURL(/\/nmo\/plan$/);
  await waitKept(page, "/nmo/plan");
  await reloadOffline(page);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await backOnline(page);
  await expect(page).toHaveURL(/\/nmo\/plan$/);
});

test("the certificate and a contract reload offline, and come back live", async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await someone(browser, "9901101325", "Demo-Roditel-2026", /\/pfdo$/);
  await workerReady(page);
  await waitKept(page, "/pfdo");
  await reloadOffline(page);
  await expect(page.getByTestId("strip-balance")).toBeVisible();
  await backOnline(page);

  await page.getByRole("link", { name: "Договоры" }).click();
  await expect(page).toHaveURL(/\/pfdo\/contracts$/);
  await page.getByRole("link", { name: /Действующие/ }).click();
  await page.getByTestId("contract-row").first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/pfdo\/contracts\/\d+$/);
  const contract = new URL(page.url()).pathname;
  await waitKept(page, contract);
  await reloadOffline(page);
  await expect(page).toHaveURL(new RegExp(`${contract}$`));
  await backOnline(page);
  await page.context().close();
});

test("an application tried offline, then sent with its answer lost, is made once when retried", async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await someone(browser, "sokolov@demo.kabinet.local", "Demo-Uchitel2-2026", /\/dpo$/);
  await workerReady(page);
  const year = new Date().getFullYear() + 1;
  await page.goto(`/dpo/courses?year=${year}`);
  await page.getByLabel("Шифр или название курса").fill("английского языка");
  await page.getByTestId("dpo-search").click();
  await expect(page.getByTestId("dpo-total")).toHaveText("1");
  await page.getByTestId("dpo-course").getByRole("link").click();
  await expect(page.getByTestId("dpo-course-title")).toBeVisible();
  const courseId = Number(new URL(page.url()).pathname.split("/").pop());
  await hydrated(page);
  await page.getByTestId("dpo-apply").click();
  await expect(page.getByRole("dialog", { name: "Записаться на курс?" })).toBeVisible();
  await hydrated(page);

  const mine = async () => {
    const res = await page.request.post("/api/dpo/mine");
    const body = (await res.json()) as { active: { course_id: number }[] };
    return body.active.filter((a) => a.course_id === courseId).length;
  };

  // 1. No connection: nothing is sent, and the teacher is told so.
  await page.context().setOffline(true);
  await expect(page.locator("#net-banner")).toContainText("Нет связи с сервером");
  await page.getByTestId("dpo-confirm-apply").click();
  await expect(page.getByText("Нет связи с сервером, действие не выполнено")).toBeVisible();
  await page.context().setOffline(false);
  await expect(page.locator("#net-banner")).toBeEmpty();
  expect(await mine()).toBe(0);

  // 2. The server takes the application, but its answer never arrives and the connection
  //    drops again: the card cannot be refreshed, so it still offers the confirmation.
  let reached = 0;
  await page.route(
    "**/api/dpo/apply",
    async (route) => {
      reached += 1;
      await route.fetch();
      await route.abort("internetdisconnected");
    },
    { times: 1 },
  );
  await page.route("**/api/dpo/course", (route) => route.abort("internetdisconnected"), { times: 1 });
  await page.getByTestId("dpo-confirm-apply").click();
  // The message from step 1 is still on screen, so wait for this call itself to end first.
  await expect.poll(() => reached).toBe(1);
  await expect(page.getByTestId("dpo-confirm-apply")).toBeEnabled();
  await expect(page.getByText("Нет связи с сервером, действие не выполнено")).toBeVisible();
  expect(await mine()).toBe(1);

  // 3. The teacher tries again: answered with the application already made, still one.
  await page.getByTestId("dpo-confirm-apply").click();
  await expect(page.getByTestId("notice")).toHaveText("Ваша заявка на курс принята");
  await expect(page.getByTestId("dpo-mine").getByTestId("dpo-status")).toHaveText("Подана");
  expect(await mine()).toBe(1);
  await page.context().close();
});

test("after signing out, an offline reload shows nothing of the person", async ({ browser }) => {
  test.setTimeout(60_000);
  const page = await someone(browser, "9901101326", "Demo-Roditel2-2026", /\/pfdo$/);
  await workerReady(page);
  await waitKept(page, "/pfdo");
  const name = (await page.getByTestId("user-name").textContent())!;
  await page.getByRole("button", { name: "Выйти" }).click();
  await expect(page.getByRole("link", { name: "Войти" })).toBeVisible();
  await expect.poll(() => kept(page, "/pfdo")).toBe(false);

  await page.context().setOffline(true);
  await page.goto("/pfdo").catch(() => undefined);
  await expect(page.getByRole("heading", { name: "Нет связи" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText(name);
  await expect(page.locator("#net-banner")).toContainText("Нет связи");
  await page.context().close();
});

test("forms keep what was typed across a reload, offline too, but never a password", async ({ page }) => {
  await page.goto("/register");
  await hydrated(page);
  await workerReady(page);
  await page.getByLabel("Фамилия").fill("Кузнецова");
  await page.getByLabel("Отчество").fill("Петровна");
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Фамилия")).toHaveValue("Кузнецова");
  await expect(page.getByLabel("Отчество")).toHaveValue("Петровна");

  await waitKept(page, "/register");
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.locator("#net-banner")).toContainText("Нет связи");
  await expect(page.getByLabel("Фамилия")).toHaveValue("Кузнецова");
  await page.context().setOffline(false);
  await expect(page.locator("html")).not.toHaveAttribute("data-offline-at", /.*/, { timeout: 20_000 });

  // The sign-in form: the login comes back, the password does not.
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel(/СНИЛС|Логин/).first().fill("112-233-445 95");
  await page.locator("input[type=password]").fill("секрет-не-хранится");
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel(/СНИЛС|Логин/).first()).toHaveValue("112-233-445 95");
  await expect(page.locator("input[type=password]")).toHaveValue("");
  const stored = await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
  expect(stored).not.toContain("секрет-не-хранится");
});
