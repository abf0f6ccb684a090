import { Page, expect } from "@playwright/test";

export class LoginPage {
  constructor(private page: Page) {}

  async open() {
    await this.page.goto("/login");
    await expect(this.page.getByRole("heading", { name: "Вход в личный кабинет" })).toBeVisible();
  }

  async login(login: string, password: string) {
    await this.page.locator("#login").fill(login);
    await this.page.getByLabel("Пароль").fill(password);
    await this.page.getByRole("button", { name: "Войти" }).click();
  }
}
