import { test, expect, Page, APIRequestContext } from "@playwright/test";
import { RegisterPage } from "./register";
import { LoginPage } from "./login";
import { freshEmail, freshSnils, passwordIn, linkIn, waitForMail } from "../support";

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "1");
}

/** A new specialist (ВО) with a «Терапия» certificate: registered, confirmed, signed in. */
export async function newTherapist(page: Page, request: APIRequestContext, lastName: string) {
  const js = test.info().project.name === "js";
  const p = {
    snils: freshSnils(),
    lastName,
    firstName: "Ольга",
    middleName: "Сергеевна",
    birthDate: "1985-02-11",
    email: freshEmail("plan"),
    phone: "+7 912 345-67-89",
  };
  const register = new RegisterPage(page);
  await register.open();
  if (js) await hydrated(page);
  await register.fill(p);
  await register.submit();
  await expect(page.getByTestId("register-sent")).toBeVisible();
  await page.goto(linkIn(await waitForMail(request, p.email, "Подтверждение регистрации")));
  await page.getByRole("button", { name: "Подтвердить адрес и получить пароль" }).click();
  const password = passwordIn(await waitForMail(request, p.email, "Логин и пароль"));
  const login = new LoginPage(page);
  await login.open();
  await login.login(p.snils, password);
  await page.getByRole("button", { name: "Принимаю условия соглашения" }).click();
  await page.getByLabel("Высшее медицинское или фармацевтическое (ВО)").check();
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(page).toHaveURL(/\/cabinet$/);

  // A document opens the cycle the plan is made for.
  await page.goto("/nmo/documents/new");
  if (js) await hydrated(page);
  await page.getByLabel("Сертификат специалиста").check();
  await page.getByLabel("Специальность").fill("Терапия");
  await page.getByLabel("Организация, проводившая экзамен").fill("ФГБОУ ВО Казанский ГМУ Минздрава России");
  await page.getByLabel("Серия").fill("016612");
  await page.getByLabel(/^Номер/).fill(String(1_000_000 + Math.floor(Math.random() * 8_999_999)));
  await page.getByLabel("Дата экзамена").fill("2025-06-10");
  await page.getByLabel("Дата выдачи").fill("2025-06-20");
  await page.getByLabel("Данные документа введены верно").check();
  await page.getByLabel("Документ выдан мне").check();
  await page.getByRole("button", { name: "Сохранить документ" }).click();
  await expect(page.getByTestId("cycle").filter({ hasText: "20.06.2025 — 19.06.2030" })).toContainText("Терапия");
  return p;
}

