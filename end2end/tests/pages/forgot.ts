import { Page, expect } from "@playwright/test";
import { passRobotCheck } from "./robot";

export class ForgotPage {
  constructor(private page: Page) {}

  async open() {
    await this.page.goto("/forgot");
    await expect(this.page.getByRole("heading", { name: "Забыли пароль?" })).toBeVisible();
  }

  async request(snils: string) {
    await this.page.getByLabel("СНИЛС").fill(snils);
    await passRobotCheck(this.page);
    await this.page.getByRole("button", { name: "Получить новый пароль" }).click();
  }
}
