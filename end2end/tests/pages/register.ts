import { Page, expect } from "@playwright/test";
import { passRobotCheck } from "./robot";

export interface Person {
  snils: string;
  lastName: string;
  firstName: string;
  middleName: string;
  birthDate: string; // ГГГГ-ММ-ДД
  email: string;
  phone: string;
}

export class RegisterPage {
  constructor(private page: Page) {}

  async open() {
    await this.page.goto("/register");
    await expect(this.page.getByRole("heading", { name: "Регистрация специалиста" })).toBeVisible();
  }

  async fill(p: Person) {
    const page = this.page;
    await page.getByLabel("СНИЛС").fill(p.snils);
    await page.getByLabel("Фамилия").fill(p.lastName);
    await page.getByLabel("Имя").fill(p.firstName);
    await page.getByLabel("Отчество").fill(p.middleName);
    await page.getByLabel("Гражданство").selectOption("RU");
    await page.getByLabel("Регион проживания").selectOption({ label: "Москва" });
    await page.getByLabel("Женский").check();
    await page.getByLabel("Дата рождения").fill(p.birthDate);
    await page.getByLabel("Электронная почта").fill(p.email);
    await page.getByLabel("Мобильный телефон").fill(p.phone);
    await page.getByLabel("Согласен(на) на обработку персональных данных").check();
    await page.getByLabel("Принимаю пользовательское соглашение").check();
    await passRobotCheck(page);
  }

  async submit() {
    await this.page.getByRole("button", { name: "Зарегистрироваться" }).click();
  }
}
