import { test, expect, Page } from "@playwright/test";
import { LoginPage } from "./pages/login";

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "1");
}

const js = () => test.info().project.name === "js";

function digits(n: number): string {
  return Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join("");
}

test("@nojs a specialist files an organisation, adds a certificate and a cycle opens", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.login("123-456-789 64", "Demo-Medsestra-2026");
  await expect(page).toHaveURL(/\/cabinet$/);

  await page.goto("/nmo/documents/new");
  await expect(page.getByRole("heading", { name: "Добавить документ о допуске" })).toBeVisible();
  if (js()) await hydrated(page);

  // The organisation is not in the catalogue: file it; the form comes back with it chosen.
  const organisation = `Медицинский колледж № ${digits(4)}`;
  await page.getByLabel("Полное название организации").fill(organisation);
  await page.getByLabel("Город").fill("Тверь");
  await page.getByRole("button", { name: "Добавить организацию" }).click();
  await expect(page.getByLabel("Организация, проводившая экзамен")).toHaveValue(organisation);

  const number = digits(7);
  // Both projects file a document for this demo specialist in one database: each takes its
  // own days, so their two cycles never have the same dates.
  const day = String((js() ? 10 : 19) + Math.floor(Math.random() * 9));
  await page.getByLabel("Сертификат специалиста").check();
  await page.getByLabel("Специальность").fill("Сестринское дело");
  await page.getByLabel("Серия").fill("771234");
  await page.getByLabel(/^Номер/).fill(number);
  await page.getByLabel("Дата экзамена").fill("2023-03-01");
  await page.getByLabel("Дата выдачи").fill(`2023-03-${day}`);
  await page.getByLabel("Данные документа введены верно").check();
  await page.getByLabel("Документ выдан мне").check();
  await page.getByRole("button", { name: "Сохранить документ" }).click();

  await expect(page).toHaveURL(/\/nmo\/cycles\?added=\d+$/);
  await expect(page.getByRole("status").filter({ hasText: "Документ сохранён, открыт пятилетний цикл." })).toBeVisible();
  const ends = String(Number(day) - 1).padStart(2, "0");
  await expect(page.getByTestId("cycle").filter({ hasText: `${day}.03.2023 — ${ends}.03.2028` })).toContainText("Сестринское дело");

  await page.getByRole("link", { name: "Документы" }).click();
  const card = page.getByTestId("document").filter({ hasText: `771234 ${number}` });
  await expect(card).toContainText("Не подтверждён в ФРМР");
  await expect(card).toContainText("на проверке");
});

test("document mistakes are shown field by field before anything is sent", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.login("112-233-445 95", "Demo-Vrach-2026");
  await expect(page.getByTestId("current-cycle")).toHaveText("Терапия");
  await page.goto("/nmo/documents/new");
  await hydrated(page);
  await page.getByLabel("Свидетельство об аккредитации специалиста").check();
  const series = page.getByLabel("Серия");
  await series.fill("77");
  await series.blur();
  await expect(page.locator("#series-error")).toHaveText("Серия свидетельства — 4 цифры");
  await page.getByRole("button", { name: "Сохранить документ" }).click();
  await expect(page.locator("#specialty-error")).toHaveText("Выберите специальность из справочника");
  await expect(page.locator("#confirm_own-error")).not.toBeEmpty();
  await expect(page).toHaveURL(/\/nmo\/documents\/new$/);
});
