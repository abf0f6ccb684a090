import { test, expect, Page } from "@playwright/test";
import { LoginPage } from "./pages/login";
import { passRobotCheck } from "./pages/robot";
import { freshEmail, passwordIn, waitForMail } from "./support";

const js = () => test.info().project.name === "js";

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "1");
}

test("@nojs an organisation applies with scans, the admin approves, the new provider signs in", async ({
  page,
  browser,
  request,
}) => {
  const name = `ООО «Учебный центр ${js() ? "Альфа" : "Бета"} ${Date.now()}»`;
  const email = freshEmail("org");
  await page.goto("/");
  await page.getByRole("link", { name: "Стать поставщиком НМО" }).click();
  await expect(page.getByRole("heading", { name: "Стать поставщиком НМО" })).toBeVisible();

  const fill = async () => {
    if (js()) await hydrated(page);
    await page.getByLabel("Полное название организации").fill(name);
    await page.getByLabel("Ответственное лицо (фамилия, имя, отчество)").fill("Смирнова Анна Викторовна");
    await page.getByLabel("Электронная почта").fill(email);
    await page.getByLabel("Телефон").fill("+7 (495) 123-45-67");
    await passRobotCheck(page);
  };
  // A file named .pdf that is not one is refused by its content.
  await fill();
  await page.getByLabel("Сканы документов").setInputFiles({
    name: "fake.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("это не PDF"),
  });
  await page.getByRole("button", { name: "Отправить заявку" }).click();
  await expect(page.getByText("«fake.pdf»: Можно приложить только PDF, JPEG или PNG")).toBeVisible();

  await fill();
  await page.getByLabel("Сканы документов").setInputFiles([
    { name: "egrul.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") },
    {
      name: "licence.png",
      mimeType: "image/png",
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
    },
  ]);
  await page.getByRole("button", { name: "Отправить заявку" }).click();
  await expect(page.getByTestId("provider-application-sent")).toContainText("принята");
  await waitForMail(request, email, "Заявка организации принята");

  // The admin opens the scans and approves.
  const context = await browser.newContext({ javaScriptEnabled: js() });
  const admin = await context.newPage();
  const adminLogin = new LoginPage(admin);
  await adminLogin.open();
  await adminLogin.login("admin", "Demo-Admin-2026");
  await admin.getByRole("link", { name: "Поставщики" }).click();
  const application = admin.getByTestId("provider-application").filter({ hasText: name });
  await expect(application).toContainText("Смирнова Анна Викторовна");
  await expect(application.getByRole("link", { name: "egrul.pdf" })).toBeVisible();
  await expect(application.getByRole("link", { name: "licence.png" })).toBeVisible();
  if (js()) await hydrated(admin);
  await application.getByRole("button", { name: "Одобрить и отправить пароль" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Решение сохранено" })).toBeVisible();
  await expect(admin.getByTestId("provider-application").filter({ hasText: name })).toHaveCount(0);
  await context.close();

  // The mailed login and password open the provider's cabinet.
  const password = passwordIn(await waitForMail(request, email, "Логин и пароль для входа в кабинет поставщика"));
  const login = new LoginPage(page);
  await login.open();
  await login.login(email, password);
  await expect(page).toHaveURL(/\/provider$/);
  await expect(page.getByText("Элементов пока нет.")).toBeVisible();
});

test("@nojs a provider publishes a module with its test, fixes a mistake the editor names, and changes it", async ({
  page,
}) => {
  const title = `Давление у пожилых пациентов ${js() ? "A" : "B"} ${Date.now()}`;
  const login = new LoginPage(page);
  await login.open();
  await login.login("akademia", "Demo-Provider-2026");
  await expect(page).toHaveURL(/\/provider$/);
  await page.getByRole("link", { name: "Добавить ИОМ" }).click();
  await expect(page.getByRole("heading", { name: "Новый интерактивный модуль (ИОМ)" })).toBeVisible();
  if (js()) await hydrated(page);
  await page.getByLabel("Название").fill(title);
  await page.getByLabel("Кратко (для каталога)").fill("Особенности лечения после 80 лет");
  await page.getByLabel("Учебный текст модуля").fill("Целевое давление у пожилых — индивидуально.");
  await page.getByLabel("ЗЕТ (академические часы)").fill("2");
  await page.getByLabel("Терапия", { exact: true }).check();
  // Two right answers: the editor names the question.
  await page.getByLabel("Итоговый тест").fill("? Целевое давление после 80 лет?\n+ Ниже 150/90\n+ Ниже 120/70");
  await page.getByRole("button", { name: "Опубликовать" }).click();
  await expect(page.getByText("Вопрос 1: нужны хотя бы два варианта и ровно один верный («+»)")).toBeVisible();
  if (!js()) {
    // Without JavaScript the refused form comes back empty: fill it again.
    await page.getByLabel("Название").fill(title);
    await page.getByLabel("Кратко (для каталога)").fill("Особенности лечения после 80 лет");
    await page.getByLabel("Учебный текст модуля").fill("Целевое давление у пожилых — индивидуально.");
    await page.getByLabel("ЗЕТ (академические часы)").fill("2");
    await page.getByLabel("Терапия", { exact: true }).check();
  }
  await page.getByLabel("Итоговый тест").fill("? Целевое давление после 80 лет?\n+ Ниже 150/90\n- Ниже 120/70");
  await page.getByRole("button", { name: "Опубликовать" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Сохранено и опубликовано." })).toBeVisible();
  const row = page.getByTestId("provider-element").filter({ hasText: title });
  await expect(row).toContainText("Интерактивный образовательный модуль");

  // Changed: a new title, the test as it was.
  await row.getByRole("link", { name: "Изменить" }).click();
  await expect(page.getByLabel("Итоговый тест")).toHaveValue(/\+ Ниже 150\/90/);
  if (js()) await hydrated(page);
  await page.getByLabel("Название").fill(`${title} (2027)`);
  await page.getByRole("button", { name: "Сохранить изменения" }).click();
  await expect(page.getByTestId("provider-element").filter({ hasText: `${title} (2027)` })).toBeVisible();
});
