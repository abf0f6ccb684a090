import { test, expect, Page } from "@playwright/test";
import { RegisterPage } from "./pages/register";
import { LoginPage } from "./pages/login";
import { ForgotPage } from "./pages/forgot";
import { freshEmail, freshSnils, linkIn, passwordIn, waitForMail } from "./support";

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "1");
}

function person() {
  return {
    snils: freshSnils(),
    lastName: "Смирнова",
    firstName: "Анна",
    middleName: "Викторовна",
    birthDate: "1988-05-17",
    email: freshEmail(),
    phone: "+7 912 345-67-89",
  };
}

test("@nojs a specialist registers, confirms by mail, logs in and out", async ({ page, request }) => {
  const p = person();
  const register = new RegisterPage(page);
  await register.open();
  if (test.info().project.name === "js") await hydrated(page);
  await register.fill(p);
  await register.submit();
  await expect(page.getByTestId("register-sent")).toContainText(p.email.slice(0, 2));

  const confirmation = await waitForMail(request, p.email, "Подтверждение регистрации");
  await page.goto(linkIn(confirmation));
  await page.getByRole("button", { name: "Подтвердить адрес и получить пароль" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Логин и пароль отправлены" })).toBeVisible();

  const credentials = await waitForMail(request, p.email, "Логин и пароль");
  expect(credentials.body).toContain(`Логин: ${p.snils}`);
  const password = passwordIn(credentials);

  const login = new LoginPage(page);
  await login.open();
  await login.login(p.snils, password);
  // The first login: the agreement, then the level of education.
  await expect(page).toHaveURL(/\/nmo\/start$/);
  await page.getByRole("button", { name: "Принимаю условия соглашения" }).click();
  await expect(page.getByRole("heading", { name: "Уровень образования" })).toBeVisible();
  if (test.info().project.name === "js") {
    await hydrated(page);
    await page.getByRole("button", { name: "Сохранить" }).click();
    await expect(page.locator("#levels-error")).toContainText("Выберите хотя бы один уровень");
  }
  await page.getByLabel("Среднее медицинское или фармацевтическое (СО)").check();
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(page).toHaveURL(/\/cabinet$/);
  await expect(page.getByTestId("cabinet-name")).toHaveText("Смирнова Анна Викторовна");
  await expect(page.getByTestId("nmo-summary")).toContainText("добавьте документ о допуске");
  await expect(page.getByTestId("user-name")).toHaveText("Смирнова А. В.");

  await page.getByRole("button", { name: "Выйти" }).click();
  await expect(page).toHaveURL(/\/login\?logged_out=1$/);
  await page.goto("/cabinet");
  await expect(page).toHaveURL(/\/login$/);
});

test("@nojs five wrong passwords lock the account and say until when", async ({ page, request }) => {
  const p = person();
  const register = new RegisterPage(page);
  await register.open();
  if (test.info().project.name === "js") await hydrated(page);
  await register.fill(p);
  await register.submit();
  const confirmation = await waitForMail(request, p.email, "Подтверждение регистрации");
  await page.goto(linkIn(confirmation));
  await page.getByRole("button", { name: "Подтвердить адрес и получить пароль" }).click();
  await waitForMail(request, p.email, "Логин и пароль");

  const login = new LoginPage(page);
  for (let i = 1; i <= 4; i++) {
    await login.open();
    await login.login(p.snils, `wrong-password-${i}`);
    await expect(page.getByRole("alert").filter({ hasText: "Неверный логин или пароль" })).toBeVisible();
  }
  await login.open();
  await login.login(p.snils, "wrong-password-5");
  await expect(page.getByRole("alert").filter({ hasText: /Вход заблокирован до \d\d:\d\d \(МСК\)/ })).toBeVisible();
});

test("@nojs «Забыли пароль?» mails a new password that then opens the cabinet", async ({ page, request }) => {
  const p = person();
  const register = new RegisterPage(page);
  await register.open();
  if (test.info().project.name === "js") await hydrated(page);
  await register.fill(p);
  await register.submit();
  const confirmation = await waitForMail(request, p.email, "Подтверждение регистрации");
  await page.goto(linkIn(confirmation));
  await page.getByRole("button", { name: "Подтвердить адрес и получить пароль" }).click();
  const first = passwordIn(await waitForMail(request, p.email, "Логин и пароль"));

  const forgot = new ForgotPage(page);
  await forgot.open();
  if (test.info().project.name === "js") await hydrated(page);
  await forgot.request(p.snils);
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByRole("status").filter({ hasText: "Прежний пароль действует" })).toBeVisible();
  const mailed = passwordIn(await waitForMail(request, p.email, "Новый пароль"));
  expect(mailed).not.toBe(first);

  const login = new LoginPage(page);
  await login.open();
  await login.login(p.snils, mailed);
  await expect(page).toHaveURL(/\/nmo\/start$/);
  await expect(page.getByTestId("user-name")).toHaveText("Смирнова А. В.");
});

test("«Я не робот» must be ticked before the form is sent", async ({ page }) => {
  await page.goto("/forgot");
  await hydrated(page);
  await expect(page.getByText("Сколько будет")).toBeHidden();
  await page.getByLabel("СНИЛС").fill("112-233-445 95");
  await page.getByRole("button", { name: "Получить новый пароль" }).click();
  await expect(page.locator("#robot-error")).toHaveText("Отметьте «Я не робот»");
  await expect(page).toHaveURL(/\/forgot$/);
  await page.getByLabel("Я не робот").check();
  await expect(page.getByTestId("robot-status")).toHaveText("Готово");
  await expect(page.locator("#robot-error")).toBeEmpty();
});

test("the live СНИЛС message appears before submitting", async ({ page }) => {
  await page.goto("/register");
  await hydrated(page);
  const snils = page.getByLabel("СНИЛС");
  await snils.fill("112-233-445 96");
  await snils.blur();
  await expect(page.locator("#snils-error")).toHaveText("Неправильное контрольное число СНИЛС");
  await expect(snils).toHaveAttribute("aria-invalid", "true");
  await snils.fill("");
  await snils.pressSequentially("11223344595");
  await expect(snils).toHaveValue("112-233-445 95");
  await expect(page.locator("#snils-error")).toBeEmpty();
  // Nothing was sent: no request left the page.
  await expect(page).toHaveURL(/\/register$/);
});

test("the server answers field by field for a taken СНИЛС", async ({ page, request }) => {
  const p = person();
  const register = new RegisterPage(page);
  await register.open();
  await hydrated(page);
  await register.fill(p);
  await register.submit();
  await expect(page.getByTestId("register-sent")).toBeVisible();
  await waitForMail(request, p.email, "Подтверждение регистрации");

  await register.open();
  await hydrated(page);
  await register.fill({ ...p, email: freshEmail() });
  await register.submit();
  await expect(page.locator("#snils-error")).toContainText("С этим СНИЛС уже есть учётная запись");
});

test("a demo specialist logs in, changes contacts and files a support ticket the admin answers", async ({ page, browser, request }) => {
  const login = new LoginPage(page);
  await login.open();
  await hydrated(page);
  await login.login("123-456-789 64", "Demo-Medsestra-2026");
  await expect(page).toHaveURL(/\/cabinet$/);

  await page.getByRole("link", { name: "Профиль" }).click();
  await expect(page.getByRole("heading", { name: "Контакты" })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("Мобильный телефон").fill("8 (926) 111-22-33");
  await page.getByRole("button", { name: "Сохранить контакты" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Контакты сохранены" })).toBeVisible();
  await expect(page.getByLabel("Мобильный телефон")).toHaveValue("+7 926 111-22-33");

  await page.goto("/support");
  await hydrated(page);
  const question = `Не вижу баллы за вебинар ${Date.now()}`;
  await page.getByLabel("Тема").selectOption({ label: "Баллы (ЗЕТ) и коды подтверждения" });
  await page.getByLabel("Опишите вопрос").fill(question);
  await page.getByLabel("Файл (необязательно)").setInputFiles({
    name: "скан.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n% test\n"),
  });
  await page.getByRole("button", { name: "Отправить обращение" }).click();
  await expect(page.getByTestId("ticket-created")).toContainText("ТП-");
  const number = (await page.getByTestId("ticket-created").locator("strong").textContent())!.trim();
  await waitForMail(request, "petrov@demo.kabinet.local", `Обращение ${number} принято`);

  const admin = await browser.newPage();
  const adminLogin = new LoginPage(admin);
  await adminLogin.open();
  await adminLogin.login("admin", "Demo-Admin-2026");
  await expect(admin).toHaveURL(/\/admin\/support$/);
  await hydrated(admin);
  await admin.getByLabel(`Ответ на ${number}`).fill("Баллы появятся после подтверждения организатором.");
  await admin.getByLabel(`Ответ на ${number}`).locator("xpath=ancestor::form").getByRole("button", { name: "Ответить" }).click();
  await expect(admin.getByText("Баллы появятся после подтверждения организатором.")).toBeVisible();
  await waitForMail(request, "petrov@demo.kabinet.local", `Ответ на обращение ${number}`);

  await page.goto("/cabinet");
  await expect(page.getByText("Баллы появятся после подтверждения организатором.")).toBeVisible();
});

test("an unknown page answers 404 with a friendly page", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Страница не найдена" })).toBeVisible();
});
