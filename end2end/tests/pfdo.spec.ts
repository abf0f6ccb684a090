import { test, expect, Page, Browser } from "@playwright/test";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { LoginPage } from "./pages/login";

const js = () => test.info().project.name === "js";

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "1");
}

async function signIn(page: Page, login: string, password: string) {
  const form = new LoginPage(page);
  await form.open();
  if (js()) await hydrated(page);
  await form.login(login, password);
}

/** Text of a downloaded PDF, whitespace collapsed. */
async function pdfText(download: Promise<import("@playwright/test").Download>): Promise<string> {
  const path = (await (await download).path())!;
  return execFileSync("pdftotext", [path, "-"]).toString().replace(/\s+/g, " ");
}

/** Kopecks of «25 605,40 ₽». */
function kopecks(text: string | null): number {
  const digits = (text ?? "").replace(/[^0-9,]/g, "").replace(",", "");
  return Number(digits);
}

/** A birth date `years` ago (Moscow calendar), as the date input wants it. */
function bornYearsAgo(years: number): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() - years);
  d.setMonth(0, 15);
  return d.toISOString().slice(0, 10);
}

interface Certificate {
  number: string;
  password: string;
}

/**
 * The operator of «Лесной» (room under the limit) issues a financed certificate for a
 * nine-year-old and activates it, in a browser of their own.
 */
async function issueCertificate(browser: Browser, lastName: string): Promise<Certificate> {
  const ctx = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow", javaScriptEnabled: true });
  const op = await ctx.newPage();
  await signIn(op, "operator2", "Demo-Operator2-2026");
  await expect(op).toHaveURL(/\/operator$/);
  await op.goto("/operator/certificates/new");
  await hydrated(op);
  await op.getByLabel("Фамилия ребёнка").fill(lastName);
  await op.getByLabel("Имя ребёнка").fill("Мирон");
  await op.getByLabel("Дата рождения").fill(bornYearsAgo(9));
  await op.getByRole("button", { name: "Выдать сертификат" }).click();
  const number = (await op.getByTestId("issued-number").textContent())!.trim();
  const password = (await op.getByTestId("issued-password").textContent())!.trim();
  expect(number).toMatch(/^\d{10}$/);
  await op.goto(`/operator/certificates?q=${number}`);
  await hydrated(op);
  const row = op.getByTestId("certificate-row").filter({ hasText: number });
  await row.getByTestId("activate").click();
  await expect(op.getByTestId("notice")).toHaveText("Сертификат активирован");
  await expect(row.getByTestId("certificate-status")).toHaveText("Сертификат активирован");
  await ctx.close();
  return { number, password };
}

/** A page signed in as the demo provider «Радуга». */
async function radugaPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({
    locale: "ru-RU",
    timezoneId: "Europe/Moscow",
    javaScriptEnabled: js(),
  });
  const page = await ctx.newPage();
  await signIn(page, "raduga", "Demo-Raduga-2026");
  await expect(page).toHaveURL(/\/provider$/);
  return page;
}

test("the operator issues a certificate with its extract; the parent logs in by its number and sees it activated", async ({
  page,
  browser,
}) => {
  test.skip(!js(), "the issue form shows the password with JavaScript; without it see the @nojs test");
  await signIn(page, "operator2", "Demo-Operator2-2026");
  await expect(page.getByRole("heading", { name: "Муниципальный район Лесной" })).toBeVisible();
  await page.getByRole("link", { name: "Выдать сертификат" }).first().click();
  await hydrated(page);
  // The form says what is wrong, field by field.
  await page.getByLabel("Фамилия ребёнка").fill("Q");
  await page.getByLabel("Имя ребёнка").fill("Мирон");
  await page.getByLabel("Дата рождения").fill(bornYearsAgo(2));
  await page.getByRole("button", { name: "Выдать сертификат" }).click();
  await expect(page.locator("#birth_date-error")).toContainText("от 5 до 18");
  await page.getByLabel("Фамилия ребёнка").fill("Зайцев");
  await page.getByLabel("Дата рождения").fill(bornYearsAgo(9));
  await page.getByRole("button", { name: "Выдать сертификат" }).click();
  const number = (await page.getByTestId("issued-number").textContent())!.trim();
  const password = (await page.getByTestId("issued-password").textContent())!.trim();
  const extract = await pdfText(
    (async () => {
      const d = page.waitForEvent("download");
      await page.getByTestId("issued-extract").click();
      return d;
    })(),
  );
  expect(extract).toContain("Выписка сертификата");
  expect(extract).toContain(number);
  expect(extract).toContain(password);
  expect(extract).toContain("Зайцев Мирон");

  // Before activation the parent may apply, and the cabinet says a contract must wait.
  const ctx = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
  const parent = await ctx.newPage();
  await signIn(parent, number, password);
  await expect(parent).toHaveURL(/\/pfdo$/);
  await expect(parent.getByTestId("certificate-status")).toHaveText("Сертификат не активирован");
  await expect(parent.getByTestId("not-activated")).toBeVisible();

  await page.goto(`/operator/certificates?q=${number}`);
  await hydrated(page);
  await page.getByTestId("certificate-row").filter({ hasText: number }).getByTestId("activate").click();
  await expect(page.getByTestId("notice")).toHaveText("Сертификат активирован");

  await parent.reload();
  await expect(parent.getByTestId("certificate-status")).toHaveText("Сертификат активирован");
  await expect(parent.getByTestId("notifications")).toContainText("Сертификат активирован");
  // The parent's own extract has no password in it.
  const own = await pdfText(
    (async () => {
      const d = parent.waitForEvent("download");
      await parent.getByRole("link", { name: "Скачать выписку сертификата (PDF)" }).click();
      return d;
    })(),
  );
  expect(own).toContain(number);
  expect(own).not.toContain(password);
  await ctx.close();
});

test("a parent finds a programme, applies and sees the money move without a reload; the provider confirms and concludes; a second application is cancelled", async ({
  page,
  browser,
}) => {
  test.skip(!js(), "the figures that change without a reload need JavaScript");
  const cert = await issueCertificate(browser, "Котов");
  await signIn(page, cert.number, cert.password);
  await expect(page).toHaveURL(/\/pfdo$/);
  await hydrated(page);
  const balance0 = kopecks(await page.getByTestId("strip-balance").textContent());
  expect(balance0).toBeGreaterThan(0);
  expect(kopecks(await page.getByTestId("strip-reserve").textContent())).toBe(0);
  // Nothing below may reload the page: this mark would vanish.
  await page.evaluate(() => ((window as unknown as { kept: number }).kept = 1));
  const kept = () => page.evaluate(() => (window as unknown as { kept?: number }).kept);

  // Search as you type: no button press.
  await page.getByRole("link", { name: "Навигатор" }).click();
  await page.getByTestId("navigator-q").pressSequentially("палит");
  await expect(page.getByTestId("programme-card")).toHaveCount(1);
  await expect(page).toHaveURL(/q=%D0%BF%D0%B0%D0%BB%D0%B8%D1%82/);
  await page.getByRole("link", { name: "Художественная студия «Палитра»" }).click();
  await page.getByTestId("group").filter({ hasText: "Группа 1" }).getByTestId("group-apply").click();
  const share = kopecks(await page.getByTestId("quote-certificate").textContent());
  expect(share).toBeGreaterThan(0);
  // Three confirmations, each refused on its own until ticked.
  await page.getByTestId("apply-submit").click();
  await expect(page.locator(".error").filter({ hasText: "Вы должны подтвердить своё согласие" })).toHaveCount(3);
  for (const c of ["confirm_apply", "confirm_family", "confirm_terms"]) await page.getByTestId(c).check();
  await page.getByTestId("apply-submit").click();
  await expect(page.getByTestId("notice")).toContainText("Заявка подана");
  await expect(page.getByTestId("contract-status")).toHaveText("Создан, ожидает подтверждения");
  await expect(page.getByTestId("strip-reserve")).not.toHaveText("0,00 ₽");
  expect(kopecks(await page.getByTestId("strip-reserve").textContent())).toBe(share);
  expect(kopecks(await page.getByTestId("strip-balance").textContent())).toBe(balance0 - share);
  const contractUrl = page.url();
  expect(await kept()).toBe(1);

  // A second application, then «Отменить заявку»: the reserve returns at once.
  await page.getByRole("link", { name: "Навигатор" }).click();
  await page.getByTestId("navigator-q").pressSequentially("эколог");
  await page.getByRole("link", { name: "Юный эколог: исследования природы" }).click();
  await page.getByTestId("group").filter({ hasText: "Группа 1" }).getByTestId("group-apply").click();
  const share2 = kopecks(await page.getByTestId("quote-certificate").textContent());
  for (const c of ["confirm_apply", "confirm_family", "confirm_terms"]) await page.getByTestId(c).check();
  await page.getByTestId("apply-submit").click();
  await expect(page.getByTestId("notice")).toContainText("Заявка подана");
  await expect.poll(async () => kopecks(await page.getByTestId("strip-reserve").textContent())).toBe(share + share2);
  await page.getByTestId("cancel-application").click();
  await expect(page.getByTestId("contract-status")).toHaveText("Отклонен без заключения");
  await expect.poll(async () => kopecks(await page.getByTestId("strip-reserve").textContent())).toBe(share);
  expect(kopecks(await page.getByTestId("strip-balance").textContent())).toBe(balance0 - share);
  await expect(page.getByTestId("contract-history")).toContainText("отменена");
  expect(await kept()).toBe(1);

  // The provider confirms, then concludes: the first month is paid.
  const provider = await radugaPage(browser);
  await provider.getByRole("link", { name: "Заявки ПФДО" }).click();
  await provider.getByTestId("contract-row").filter({ hasText: cert.number }).getByRole("link").click();
  if (js()) await hydrated(provider);
  await provider.getByTestId("step-confirm").click();
  await expect(provider.getByTestId("contract-status")).toHaveText("Подтвержден, ожидает заключения");
  await provider.getByTestId("step-conclude").click();
  await expect(provider.getByTestId("contract-status")).toHaveText("Действует");
  // The demo season runs September–May: inside it the first month is paid at once.
  const inSeason = ![5, 6, 7].includes(new Date().getMonth());
  if (inSeason) await expect(provider.getByTestId("contract-paid")).not.toHaveText("0,00 ₽");

  await page.goto(contractUrl);
  await expect(page.getByTestId("contract-status")).toHaveText("Действует");
  if (inSeason) expect(kopecks(await page.getByTestId("strip-paid").textContent())).toBeGreaterThan(0);
  expect(
    kopecks(await page.getByTestId("strip-paid").textContent()) +
      kopecks(await page.getByTestId("strip-reserve").textContent()),
  ).toBe(share);
  await expect(page.getByTestId("contract-history")).toContainText("Договор заключён");
  await page.goto("/pfdo");
  await expect(page.getByTestId("notifications")).toContainText("Договор заключён");

  // The week shows the group's lessons; the schedule and the attendance reference download.
  await page.getByRole("link", { name: "Расписание" }).click();
  await expect(page.getByTestId("lesson").first()).toContainText("Художественная студия «Палитра»");
  const ics = await (async () => {
    const d = page.waitForEvent("download");
    await page.getByRole("link", { name: "Скачать для календаря (.ics)" }).click();
    return fs.readFileSync((await (await d).path())!, "utf8");
  })();
  expect(ics).toContain("BEGIN:VCALENDAR");
  expect(ics).toContain("RRULE:FREQ=WEEKLY");
  expect(ics).toContain("SUMMARY:Художественная студия «Палитра»");
  await page.getByRole("link", { name: "Настройки" }).click();
  const reference = await pdfText(
    (async () => {
      const d = page.waitForEvent("download");
      await page.getByRole("link", { name: "Справка о посещении кружков (PDF)" }).click();
      return d;
    })(),
  );
  expect(reference).toContain("Справка о посещении кружков");
  expect(reference).toContain("Котов Мирон");
  expect(reference).toContain("Художественная студия «Палитра»");
});

test("@nojs settings: a parent merges a second child's cabinet and switches between the children", async ({ page, browser }) => {
  const first = await issueCertificate(browser, "Белкин");
  const second = await issueCertificate(browser, "Белкина");
  await signIn(page, first.number, first.password);
  await expect(page).toHaveURL(/\/pfdo$/);
  await expect(page.getByTestId("strip-child")).toHaveText("Белкин Мирон");
  await page.goto("/pfdo/settings");
  if (js()) await hydrated(page);
  await page.getByLabel("Номер сертификата (логин)").fill(second.number);
  await page.getByLabel("Пароль от кабинета этого сертификата").fill("Неверный-пароль-1");
  await page.getByTestId("merge-submit").click();
  await expect(page.getByText("Неверный номер сертификата или пароль")).toBeVisible();
  await page.getByLabel("Номер сертификата (логин)").fill(second.number);
  await page.getByLabel("Пароль от кабинета этого сертификата").fill(second.password);
  await page.getByTestId("merge-submit").click();
  await expect(page.getByTestId("notice")).toContainText("Кабинеты объединены");
  await expect(page.getByTestId("strip-child")).toHaveText("Белкина Мирон");
  await expect(page.getByTestId("strip-number")).toHaveText(second.number);
  // Back to the first child from the header, and forth again.
  await page.getByTestId("switch-child").filter({ hasText: "Белкин Мирон" }).click();
  await expect(page.getByTestId("strip-child")).toHaveText("Белкин Мирон");
  await expect(page.getByTestId("strip-number")).toHaveText(first.number);
  await page.getByTestId("switch-child").filter({ hasText: "Белкина Мирон" }).click();
  await expect(page.getByTestId("strip-number")).toHaveText(second.number);
  // The merged child's cabinet was told.
  await expect(page.getByTestId("notifications")).toContainText(`объединён с кабинетом сертификата № ${first.number}`);
});

test("after a contract ends the parent rates the programme and may change the rating", async ({ page }) => {
  await signIn(page, "9901101325", "Demo-Roditel-2026");
  await expect(page).toHaveURL(/\/pfdo$/);
  await page.goto("/pfdo/contracts?tab=archive");
  await page.getByTestId("contract-row").filter({ hasText: "Мастер-класс «Осенняя акварель»" }).getByRole("link").click();
  await expect(page.getByTestId("contract-status")).toHaveText("Прекратил действие");
  if (js()) await hydrated(page);
  const form = page.getByTestId("rate-form");
  await form.getByTestId("rate-results").fill("90");
  await form.getByTestId("rate-staff").fill("100");
  await form.getByTestId("rate-resources").fill("70");
  await form.getByTestId("rate-overall").fill("85");
  if (js()) await expect(form.locator("output").first()).toHaveText("90 %");
  await form.getByTestId("rate-submit").click();
  await expect(page.getByTestId("notice")).toContainText("Оценка сохранена");
  await page.reload();
  await expect(page.getByTestId("rate-results")).toHaveValue("90");
  await expect(page.getByTestId("rate-overall")).toHaveValue("85");
  await expect(page.getByTestId("rate-submit")).toHaveText("Изменить оценку");
});

test("@nojs the navigator and a programme page work without JavaScript for a guest", async ({ page }) => {
  await page.goto("/pfdo/navigator");
  await page.getByLabel("Поиск").fill("шахмат");
  await page.getByRole("button", { name: "Найти" }).click();
  await expect(page.getByTestId("programme-card")).toHaveCount(1);
  await expect(page.getByTestId("programme-card")).toContainText("Общеразвивающие");
  await page.getByLabel("Реестр").selectOption("significant");
  await page.getByLabel("Поиск").fill("");
  await page.getByRole("button", { name: "Найти" }).click();
  await expect(page.getByTestId("programme-card")).toHaveCount(1);
  await expect(page.getByTestId("programme-card")).toContainText("Хоровое пение");
  await page.getByRole("link", { name: "Хоровое пение «Звонкие голоса»" }).click();
  await expect(page.getByTestId("group")).toHaveCount(2);
  await expect(page.getByText("войдите по номеру сертификата")).toBeVisible();
});

test("@nojs without JavaScript the operator's form downloads the extract, and a parent applies and cancels", async ({
  page,
  browser,
}) => {
  test.skip(js(), "the plain-form path");
  await signIn(page, "operator2", "Demo-Operator2-2026");
  await page.goto("/operator/certificates/new");
  await page.getByLabel("Фамилия ребёнка").fill("Орлов");
  await page.getByLabel("Имя ребёнка").fill("Мирон");
  await page.getByLabel("Дата рождения").fill(bornYearsAgo(9));
  const text = await pdfText(
    (async () => {
      const d = page.waitForEvent("download");
      await page.getByRole("button", { name: "Выдать сертификат" }).click();
      return d;
    })(),
  );
  const number = text.match(/Логин (\d{10})/)![1];
  const password = text.match(/Пароль (\S+)/)![1];
  await page.goto(`/operator/certificates?q=${number}`);
  await page.getByTestId("certificate-row").filter({ hasText: number }).getByTestId("activate").click();
  await expect(page.getByTestId("notice")).toHaveText("Сертификат активирован");

  const ctx = await browser.newContext({ locale: "ru-RU", javaScriptEnabled: false });
  const parent = await ctx.newPage();
  await signIn(parent, number, password);
  await expect(parent).toHaveURL(/\/pfdo$/);
  await parent.goto("/pfdo/navigator?q=%D0%BF%D0%B0%D0%BB%D0%B8%D1%82");
  await parent.getByRole("link", { name: "Художественная студия «Палитра»" }).click();
  await parent.getByTestId("group").filter({ hasText: "Группа 1" }).getByTestId("group-apply").click();
  for (const c of ["confirm_apply", "confirm_family", "confirm_terms"]) await parent.getByTestId(c).check();
  await parent.getByTestId("apply-submit").click();
  await expect(parent.getByTestId("notice")).toContainText("Заявка подана");
  await expect(parent.getByTestId("strip-reserve")).not.toHaveText("0,00 ₽");
  await parent.getByTestId("cancel-application").click();
  await expect(parent.getByTestId("contract-status")).toHaveText("Отклонен без заключения");
  await expect(parent.getByTestId("strip-reserve")).toHaveText("0,00 ₽");
  await ctx.close();
});

/** A date `days` from today in Moscow (UTC+3, as the server counts days), as a date input wants it. */
function daysFromNow(days: number): string {
  return new Date(Date.now() + 3 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

test("@nojs a provider announces an event and news; a parent finds it, applies and cancels; the portfolio gains an achievement and prints", async ({ page, browser }) => {
  const tag = `${test.info().project.name}${Date.now()}`;
  const title = `Мастер-класс «Глина» ${tag}`;
  const raduga = await radugaPage(browser);
  await raduga.goto("/provider/pfdo/events");
  if (js()) await hydrated(raduga);
  await raduga.getByLabel("Название").fill(title);
  await raduga.getByLabel("Описание").fill("Лепим из глины и расписываем свои работы.");
  await raduga.getByLabel("Место проведения").fill("ул. Садовая, 12, каб. 3");
  await raduga.getByLabel("Дата").fill(daysFromNow(3));
  await raduga.getByLabel("Время начала (МСК)").fill("16:00");
  await raduga.getByLabel("Возраст от, лет").fill("14");
  await raduga.getByLabel("Возраст до, лет").fill("7");
  await raduga.getByLabel("Количество мест").fill("3");
  await raduga.getByTestId("event-create").click();
  await expect(raduga.getByText("Возраст «до» не может быть меньше возраста «от»")).toBeVisible();
  await raduga.getByLabel("Название").fill(title);
  await raduga.getByLabel("Описание").fill("Лепим из глины и расписываем свои работы.");
  await raduga.getByLabel("Место проведения").fill("ул. Садовая, 12, каб. 3");
  await raduga.getByLabel("Дата").fill(daysFromNow(3));
  await raduga.getByLabel("Время начала (МСК)").fill("16:00");
  await raduga.getByLabel("Возраст от, лет").fill("7");
  await raduga.getByLabel("Возраст до, лет").fill("14");
  await raduga.getByLabel("Количество мест").fill("3");
  await raduga.getByTestId("event-create").click();
  await expect(raduga.getByTestId("notice")).toContainText("Мероприятие объявлено");
  const row = raduga.getByTestId("provider-event").filter({ hasText: title });
  await expect(row.getByTestId("provider-event-taken")).toHaveText("Записано: 0 из 3");
  await raduga.getByLabel("Заголовок").fill(`Новость ${tag}`);
  await raduga.getByLabel("Текст").fill("Открыт набор на мастер-классы по лепке.");
  await raduga.getByTestId("news-publish").click();
  await expect(raduga.getByTestId("notice")).toHaveText("Новость опубликована.");

  // A guest's navigator finds the event by its words.
  await page.goto(`/pfdo/navigator?q=${encodeURIComponent(tag)}`);
  await expect(page.getByTestId("navigator-events")).toContainText(title);

  await signIn(page, "9901101325", "Demo-Roditel-2026");
  await expect(page).toHaveURL(/\/pfdo$/);
  await page.goto("/pfdo/news");
  await expect(page.getByTestId("news")).toContainText(`Новость ${tag}`);
  await page.goto(`/pfdo/events?q=${encodeURIComponent(tag)}`);
  if (js()) await hydrated(page);
  const card = page.getByTestId("event").filter({ hasText: title });
  await expect(card.getByTestId("event-free")).toHaveText("3 из 3");
  await card.getByTestId("event-apply").click();
  await expect(page.getByTestId("notice")).toContainText("Заявка подана");
  await expect(card.getByTestId("event-applied")).toBeVisible();
  await expect(card.getByTestId("event-free")).toHaveText("2 из 3");
  await raduga.reload();
  await expect(row.getByTestId("provider-event-taken")).toHaveText("Записано: 1 из 3");
  await expect(row).toContainText("сертификат № 9901101325");
  await card.getByTestId("event-cancel").click();
  await expect(page.getByTestId("notice")).toContainText("Заявка на мероприятие отменена");
  await expect(card.getByTestId("event-free")).toHaveText("3 из 3");
  await raduga.context().close();

  // The portfolio: a confirmed achievement from the demo, one of the parent's own, the PDF.
  await page.goto("/pfdo/portfolio");
  if (js()) await hydrated(page);
  await expect(page.getByTestId("achievements")).toContainText("Подтверждено: МБУ ДО «Дом детского творчества «Радуга»»");
  const achievement = `Грамота турнира ${tag}`;
  await page.getByRole("textbox", { name: "Достижение" }).fill(achievement);
  await page.getByLabel("Уровень").selectOption({ label: "Региональный" });
  await page.getByLabel("Результат").selectOption({ label: "Призёр" });
  await page.getByLabel("Дата").fill(daysFromNow(1));
  await page.getByTestId("achievement-add").click();
  await expect(page.getByText("Дата не может быть в будущем")).toBeVisible();
  await page.getByRole("textbox", { name: "Достижение" }).fill(achievement);
  await page.getByLabel("Уровень").selectOption({ label: "Региональный" });
  await page.getByLabel("Результат").selectOption({ label: "Призёр" });
  await page.getByLabel("Дата").fill(daysFromNow(0));
  await page.getByTestId("achievement-add").click();
  await expect(page.getByTestId("notice")).toHaveText("Достижение добавлено в портфолио.");
  const mine = page.getByTestId("achievement").filter({ hasText: achievement });
  await expect(mine).toContainText("Региональный уровень · Призёр");
  const text = await pdfText(
    (async () => {
      const d = page.waitForEvent("download");
      await page.getByTestId("portfolio-pdf").click();
      return d;
    })(),
  );
  expect(text).toContain(achievement);
  await mine.getByTestId("achievement-remove").click();
  await expect(page.getByTestId("notice")).toHaveText("Достижение удалено.");
  await expect(page.getByTestId("achievement").filter({ hasText: achievement })).toHaveCount(0);
});

test("@nojs the dark theme chosen in the footer stays across pages until the system's is chosen again", async ({ page }) => {
  await signIn(page, "9901101325", "Demo-Roditel-2026");
  await expect(page).toHaveURL(/\/pfdo$/);
  await page.goto("/pfdo/settings?from=theme");
  await page.getByLabel("Оформление").selectOption({ label: "Тёмная" });
  await page.getByTestId("theme-apply").click();
  await expect(page).toHaveURL(/\/pfdo\/settings\?from=theme$/);
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(page.locator("body")).toHaveCSS("background-color", "rgb(20, 23, 28)");
  await page.goto("/pfdo/navigator");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(page.getByLabel("Оформление")).toHaveValue("dark");
  await page.getByLabel("Оформление").selectOption({ label: "Как в системе" });
  await page.getByTestId("theme-apply").click();
  await expect(page).toHaveURL(/\/pfdo\/navigator$/);
  await expect(page.locator("html")).not.toHaveAttribute("data-theme", /.+/);
  await expect(page.locator("body")).toHaveCSS("background-color", "rgb(244, 246, 249)");
});

test("@nojs the operator keeps the registries: a new category, an organisation's limits, a programme's registry, a provider admitted", async ({ page }) => {
  const tag = `${test.info().project.name}${Date.now()}`;
  await signIn(page, "operator", "Demo-Operator-2026");
  await expect(page).toHaveURL(/\/operator$/);
  await page.goto("/operator/registries");
  if (js()) await hydrated(page);
  // A new category with its registry limits.
  const fresh = page.getByTestId("category-new");
  await fresh.getByLabel("Название категории").fill(`Спортсмены ${tag}`);
  await fresh.getByLabel("Сертифицированные").fill("2");
  await fresh.getByLabel("Значимые").fill("1");
  await fresh.getByLabel("Платные").fill("3");
  await fresh.getByLabel("Общеразвивающие").fill("4");
  await fresh.getByTestId("category-save").click();
  await expect(page.getByTestId("notice")).toHaveText("Категория сохранена.");
  const saved = page.getByTestId("category-form").filter({ has: page.locator(`input[value="Спортсмены ${tag}"]`) });
  await expect(saved.getByLabel("Платные")).toHaveValue("3");
  // «Кванториум» has a pupil: its limit of children cannot drop to zero.
  const kvant = page.getByTestId("organisation").filter({ hasText: "Кванториум" });
  await kvant.getByLabel("Лимит детей").fill("0");
  await kvant.getByTestId("organisation-save").click();
  // Without JavaScript the message comes back in the address, so every row of the list shows it.
  await expect(kvant.getByText(/лимит не может быть меньше/)).toBeVisible();
  // A programme with an open contract keeps its registry.
  const robots = page.getByTestId("programme").filter({ hasText: "Робототехника на LEGO Education" });
  await robots.getByTestId("programme-registry").selectOption({ label: "Платные" });
  await robots.getByTestId("programme-save").click();
  await expect(robots.getByText("По программе есть открытые заявки и договоры: реестр можно сменить, когда они закончатся")).toBeVisible();
  // Admitting a provider checks the ИНН.
  const admit = page.getByTestId("admit");
  await admit.getByLabel("Организация").selectOption({ index: 1 });
  await admit.getByLabel("Адрес").fill("пр. Мира, 1");
  await admit.getByLabel("Район").selectOption({ label: "Северный" });
  await admit.getByLabel("ИНН").fill("12345");
  await admit.getByLabel("Лимит детей").fill("100");
  await admit.getByLabel("Лимит средств, ₽").fill("500 000");
  await admit.getByTestId("admit-submit").click();
  await expect(page.getByText("ИНН — 10 или 12 цифр")).toBeVisible();
  if (js()) {
    const name = await admit.getByLabel("Организация").evaluate((s: HTMLSelectElement) => s.selectedOptions[0].text);
    await admit.getByLabel("ИНН").fill("7701234567");
    await admit.getByTestId("admit-submit").click();
    await expect(page.getByTestId("notice")).toHaveText("Организация внесена в реестр поставщиков.");
    await expect(page.getByTestId("organisation").filter({ hasText: name })).toContainText("ИНН 7701234567");
  }
});

test("@nojs «Записать ребёнка»: the provider applies for a child only once the parent allows it, with the code phrase the parent gave", async ({ page, browser }) => {
  const cert = await issueCertificate(browser, "Лепёшкин");
  const raduga = await radugaPage(browser);
  const fillApplication = async (phrase: string) => {
    await raduga.goto("/provider/pfdo/apply");
    if (js()) await hydrated(raduga);
    const palette = await raduga.locator("#group_id option", { hasText: "Художественная студия «Палитра»" }).first().getAttribute("value");
    await raduga.getByLabel("Группа").selectOption(palette!);
    await raduga.getByLabel("Номер сертификата").fill(cert.number);
    await raduga.getByLabel("Кодовая фраза").fill(phrase);
    await raduga.getByRole("button", { name: "Подать заявку" }).click();
  };
  // By default the parent has not allowed it.
  await fillApplication("синий кит над морем");
  await expect(raduga.getByText("Родитель запретил организациям подавать заявки от имени ребёнка", { exact: false })).toBeVisible();

  await signIn(page, cert.number, cert.password);
  await expect(page).toHaveURL(/\/pfdo$/);
  await page.goto("/pfdo/settings");
  if (js()) await hydrated(page);
  await page.getByTestId("confirm-phrase").check();
  await page.getByLabel("Кодовая фраза").fill("Синий кит над морем");
  await page.locator("form", { has: page.getByTestId("confirm-phrase") }).getByRole("button", { name: "Сохранить" }).click();
  await expect(page.getByTestId("notice")).toHaveText("Способ подтверждения записи сохранён.");

  // A wrong phrase is refused and the parent hears of it; the right one (any case) goes through.
  await fillApplication("красный кит");
  await expect(raduga.getByText("Данные подтверждения не совпадают", { exact: false })).toBeVisible();
  await fillApplication("синий КИТ над морем");
  await expect(raduga.getByTestId("notice")).toContainText("Заявка от имени ребёнка создана");
  await expect(raduga.getByTestId("contract-status")).toHaveText("Создан, ожидает подтверждения");
  await raduga.context().close();

  await page.goto("/pfdo");
  await expect(page.getByTestId("notifications")).toContainText("пыталась подать заявку от имени ребёнка");
  await page.goto("/pfdo/contracts");
  await expect(page.getByTestId("contract-row").filter({ hasText: "Художественная студия «Палитра»" })).toHaveCount(1);
});

test("@nojs the provider records a pupil's achievement from a finished contract; the parent sees it confirmed", async ({ page, browser }) => {
  const title = `Диплом выставки «Осенние листья» ${test.info().project.name}${Date.now()}`;
  const raduga = await radugaPage(browser);
  await raduga.goto("/provider/pfdo/contracts?tab=archive");
  await raduga.getByTestId("contract-row").filter({ hasText: "Мастер-класс «Осенняя акварель»" }).getByRole("link").first().click();
  await expect(raduga.getByTestId("contract-status")).toHaveText("Прекратил действие");
  if (js()) await hydrated(raduga);
  await raduga.getByRole("textbox", { name: "Достижение" }).fill(title);
  await raduga.getByLabel("Уровень").selectOption({ label: "Муниципальный" });
  await raduga.getByLabel("Результат").selectOption({ label: "Победитель" });
  await raduga.getByLabel("Дата").fill(daysFromNow(1));
  await raduga.getByTestId("record-achievement").click();
  await expect(raduga.getByText("Дата не может быть в будущем")).toBeVisible();
  await raduga.getByRole("textbox", { name: "Достижение" }).fill(title);
  await raduga.getByLabel("Уровень").selectOption({ label: "Муниципальный" });
  await raduga.getByLabel("Результат").selectOption({ label: "Победитель" });
  await raduga.getByLabel("Дата").fill(daysFromNow(-6));
  await raduga.getByTestId("record-achievement").click();
  await expect(raduga.getByTestId("notice")).toContainText("Достижение добавлено в портфолио ребёнка");
  await raduga.context().close();

  await signIn(page, "9901101325", "Demo-Roditel-2026");
  await expect(page).toHaveURL(/\/pfdo$/);
  await expect(page.getByTestId("notifications")).toContainText(`добавила в портфолио достижение «${title}»`);
  await page.goto("/pfdo/portfolio");
  const mine = page.getByTestId("achievement").filter({ hasText: title });
  await expect(mine).toContainText("Муниципальный уровень · Победитель");
  await expect(mine).toContainText("Подтверждено: МБУ ДО «Дом детского творчества «Радуга»»");
  await expect(mine.getByTestId("achievement-remove")).toHaveCount(0);
});
