import { test, expect, Page, Browser } from "@playwright/test";
import * as fs from "node:fs";
import { execFileSync } from "node:child_process";
import { LoginPage } from "./pages/login";
import { newTherapist } from "./pages/specialist";

const js = () => test.info().project.name === "js";

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "1");
}

/** Answers the hypertension module: all right, or all first options (none of them right). */
async function answer(page: Page, right: boolean) {
  const correct = [
    "140 мм рт. ст.",
    "5 минут",
    "Фиксированной комбинацией двух препаратов",
    "Ниже 130/80",
    "На руке с большим значением",
  ];
  const questions = page.getByTestId("question");
  await expect(questions).toHaveCount(5);
  for (let i = 0; i < 5; i++) {
    const q = questions.nth(i);
    if (right) await q.getByLabel(correct[i], { exact: true }).check();
    else await q.getByRole("radio").first().check();
  }
  await page.getByRole("button", { name: "Завершить тест" }).click();
}

async function providerPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: js() });
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.open();
  await login.login("akademia", "Demo-Provider-2026");
  await expect(page).toHaveURL(/\/provider$/);
  return page;
}

/** How a person might type a code: lower case, spaces, and the letter O for each zero. */
function sloppy(code: string): string {
  const plain = code.replace("-", "").toLowerCase().replaceAll("0", "o");
  return ` ${plain.slice(0, 4)} ${plain.slice(4, 8)} ${plain.slice(8)} `;
}

test("@nojs a specialist plans a module and an event; the provider issues and confirms the code; credits appear", async ({
  page,
  request,
  browser,
}) => {
  test.setTimeout(120_000);
  const lastName = js() ? "Кузнецова" : "Орлова";
  await newTherapist(page, request, lastName);

  // «Мой план» is empty; «Добавить элементы» finds the module by its words.
  await page.getByRole("link", { name: "Мой план" }).click();
  await expect(page.getByTestId("plan-cycle")).toHaveText("Терапия");
  await page.getByRole("link", { name: "Добавить элементы" }).click();
  await page.getByLabel("Поиск").fill("артериальная гипертензия");
  await page.getByRole("button", { name: "Найти" }).click();
  await expect(page.getByTestId("found")).toHaveText("Найдено: 1");
  await page.getByRole("link", { name: /Артериальная гипертензия/ }).click();
  await page.getByRole("button", { name: "Включить в план" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Элемент включён в план." })).toBeVisible();
  const module = page.getByTestId("plan-item").filter({ hasText: "Артериальная гипертензия" });
  await expect(module.getByTestId("plan-status")).toHaveText("Не пройден");

  // The test: failed first, then passed; the credits reach the chart.
  await module.getByRole("link", { name: "Перейти к обучению" }).click();
  if (js()) await hydrated(page);
  await answer(page, false);
  await expect(page.getByTestId("test-result")).toContainText("Тест не пройден. Верных ответов: 0 из 5 (0 %).");
  if (js()) await hydrated(page);
  await answer(page, true);
  await expect(page.getByTestId("test-result")).toContainText("Тест пройден. Верных ответов: 5 из 5 (100 %).");
  await page.getByRole("link", { name: "← Мой план" }).click();
  await expect(module.getByTestId("plan-status")).toHaveText("Пройден");
  await expect(page.getByTestId("credits-ИОМ")).toHaveText("2");
  await expect(page.getByTestId("credits-chart").locator("title")).toContainText("2-й год — 2 балла");
  await expect(page.getByTestId("credits-sentence")).toContainText("За цикл набрано 2 балла из 250: осталось 248 баллов.");

  // The event: included from the events tab.
  await page.goto("/nmo/elements?kind=event");
  await page.getByRole("link", { name: /Терапия-2026/ }).click();
  await page.getByRole("button", { name: "Включить в план" }).click();
  const event = page.getByTestId("plan-item").filter({ hasText: "Терапия-2026" });
  await expect(event.getByTestId("plan-status")).toHaveText("Ожидает кода подтверждения");

  // The provider issues codes in its cabinet: shown on the page, or downloaded as CSV.
  const provider = await providerPage(browser);
  await provider.getByRole("link", { name: /Терапия-2026/ }).click();
  await provider.getByLabel("Количество кодов").first().fill("3");
  let codes: string[];
  if (js()) {
    await hydrated(provider);
    await provider.getByRole("button", { name: "Выпустить коды" }).click();
    const shown = provider.getByTestId("issued-codes").locator("code");
    await expect(shown).toHaveCount(3);
    codes = await shown.allTextContents();
    const download = provider.waitForEvent("download");
    await provider.getByRole("link", { name: "Скачать CSV" }).click();
    const csv = fs.readFileSync((await (await download).path())!, "utf8");
    for (const c of codes) expect(csv).toContain(c);
  } else {
    // Without JavaScript the form inside <noscript> issues the batch as a CSV download.
    await provider.locator("#count-csv").fill("3");
    const download = provider.waitForEvent("download");
    await provider.getByRole("button", { name: "Выпустить и скачать CSV" }).click();
    const csv = fs.readFileSync((await (await download).path())!, "utf8");
    codes = [...csv.matchAll(/;([0-9A-Z]{4}-[0-9A-Z]{8});/g)].map((m) => m[1]);
    expect(codes).toHaveLength(3);
  }
  const code = codes.find((c) => c.includes("0")) ?? codes[0];

  // A wrong code first: the exact sentence. Then the right one, typed sloppily.
  if (js()) await hydrated(page);
  await event.getByText("Ввести код подтверждения").click();
  await event.getByLabel("Код подтверждения (ИКП)").fill("ZZZZ-ZZZZZZZZ");
  await event.getByRole("button", { name: "Проверить код" }).click();
  await expect(page.getByText("Код не был активирован. Возможно код неверен или уже был активирован ранее").first()).toBeVisible();
  if (!(await event.getByLabel("Код подтверждения (ИКП)").isVisible())) {
    await event.getByText("Ввести код подтверждения").click();
  }
  await event.getByLabel("Код подтверждения (ИКП)").fill(sloppy(code));
  if (js()) await expect(event.getByLabel("Код подтверждения (ИКП)")).toHaveValue(code);
  await event.getByRole("button", { name: "Проверить код" }).click();
  await expect(event.getByTestId("plan-status")).toHaveText("Код активирован, на проверке");
  await expect(page.getByTestId("credits-Образовательные мероприятия")).toHaveText("0");

  // The provider confirms; the credits count.
  await provider.reload();
  const activation = provider.getByTestId("activation").filter({ hasText: lastName });
  await activation.first().getByRole("button", { name: "Подтвердить" }).click();
  await expect(provider.getByTestId("activation").filter({ hasText: lastName }).first()).toContainText("Подтверждён");
  await page.reload();
  await expect(event.getByTestId("plan-status")).toHaveText("Подтверждено");
  await expect(page.getByTestId("credits-Образовательные мероприятия")).toHaveText("12");
  await expect(page.getByTestId("credits-total")).toHaveText("14");
  await provider.context().close();

  // The portfolio: the document, the cycle's 14 ЗЕТ, both completed elements; and its PDF.
  await page.getByRole("link", { name: "Портфолио" }).click();
  await expect(page.getByTestId("portfolio-document")).toContainText("Сертификат специалиста");
  await expect(page.getByTestId("portfolio-total")).toHaveText("14");
  await expect(page.getByTestId("portfolio-item")).toHaveCount(2);
  const folio = page.waitForEvent("download");
  await page.getByRole("link", { name: "Скачать PDF" }).click();
  const folioText = execFileSync("pdftotext", [(await (await folio).path())!, "-"]).toString().replace(/\s+/g, " ");
  expect(folioText).toContain("Портфолио специалиста");
  expect(folioText).toContain(`${lastName} Ольга Сергеевна`);
  expect(folioText).toContain("ИОМ — 2, ДПП ПК — 0, мероприятия — 12");
});

test("@nojs a specialist forms a ДПП ПК application, withdraws and forms it again, downloads it; the provider enrols", async ({
  page,
  request,
  browser,
}) => {
  test.setTimeout(120_000);
  const lastName = js() ? "Морозова" : "Белова";
  await newTherapist(page, request, lastName);

  await page.goto("/nmo/elements?kind=programme");
  await page.getByRole("link", { name: /амбулаторной практики/ }).click();
  await expect(page.getByText("02.03.2027 — 15.03.2027")).toBeVisible();
  await page.getByRole("button", { name: "Включить в план" }).click();
  const programme = page.getByTestId("plan-item").filter({ hasText: "амбулаторной практики" });
  await expect(programme.getByTestId("plan-status")).toHaveText("Заявка не сформирована");

  // A run is chosen, then the application is formed; withdrawn, it can be formed again.
  if (js()) await hydrated(page);
  await programme.getByLabel("12.01.2027 — 25.01.2027").check();
  await programme.getByRole("button", { name: "Сформировать заявку" }).click();
  await expect(programme.getByTestId("plan-status")).toHaveText("Заявка сформирована");
  await expect(page.getByRole("status").filter({ hasText: "Заявка не гарантирует зачисления" })).toBeVisible();
  if (js()) await hydrated(page);
  await programme.getByRole("button", { name: "Отозвать заявку" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Заявка отозвана" })).toBeVisible();
  await expect(programme.getByTestId("plan-status")).toHaveText("Заявка не сформирована");
  if (js()) await hydrated(page);
  await programme.getByLabel("02.03.2027 — 15.03.2027").check();
  await programme.getByRole("button", { name: "Сформировать заявку" }).click();
  await expect(programme.getByTestId("plan-status")).toHaveText("Заявка сформирована");
  await expect(programme).toContainText("цикл обучения 02.03.2027 — 15.03.2027");

  // The PDF: real Cyrillic text, the chosen run, and what it does not promise.
  const download = page.waitForEvent("download");
  await programme.getByRole("link", { name: "Скачать заявку (PDF)" }).click();
  const file = (await (await download).path())!;
  expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
  const text = execFileSync("pdftotext", [file, "-"]).toString().replace(/\s+/g, " ");
  expect(text).toContain("Заявка на обучение по ДПП ПК");
  expect(text).toContain(`${lastName} Ольга Сергеевна`);
  expect(text).toContain("Терапия: актуальные вопросы амбулаторной практики");
  expect(text).toContain("02.03.2027 — 15.03.2027");
  expect(text).toContain("Заявка не гарантирует зачисления на обучение");

  // The provider sees the name and enrols; completion waits for the run to begin.
  const provider = await providerPage(browser);
  await provider.getByRole("link", { name: /амбулаторной практики/ }).first().click();
  const application = provider.getByTestId("application").filter({ hasText: lastName });
  await expect(application).toContainText("02.03.2027 — 15.03.2027");
  if (js()) await hydrated(provider);
  await application.getByRole("button", { name: "Зачислен" }).click();
  await expect(application.locator(".badge")).toHaveText("Зачислен на обучение");
  if (js()) await hydrated(provider);
  await application.getByRole("button", { name: "Обучение завершено" }).click();
  await expect(
    provider.getByText("Обучение начнётся 02.03.2027: отметить его завершение можно после начала"),
  ).toBeVisible();
  await provider.context().close();

  await page.reload();
  await expect(programme.getByTestId("plan-status")).toHaveText("Зачислен на обучение");
  await expect(programme.getByRole("button", { name: "Отозвать заявку" })).toHaveCount(0);
  await expect(programme.getByRole("link", { name: "Скачать заявку (PDF)" })).toBeVisible();
});

test("the catalogue filters by tab and format, and an unreadable filter explains itself", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.login("123-456-789 64", "Demo-Medsestra-2026");
  await expect(page).toHaveURL(/\/cabinet$/);
  // Петров (СО) browses every specialty's online events; another spec may give him a document.
  await page.goto("/nmo/elements?kind=event&specialty=all&format=online");
  await expect(page.getByRole("link", { name: "Образовательные мероприятия" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("element-card")).toHaveCount(2);
  await expect(page.getByLabel("Формат")).toHaveValue("online");
  await page.getByRole("link", { name: /Антибиотикотерапия/ }).click();
  await expect(page.getByRole("heading", { name: /Антибиотикотерапия/ })).toBeVisible();
  // A filter that cannot be read explains itself.
  await page.goto("/nmo/elements?page=abc");
  await expect(page.getByText("Страница: ожидается число")).toBeVisible();
});
