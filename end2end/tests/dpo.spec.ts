import { test, expect, Page, Browser } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { LoginPage } from "./pages/login";
import { passRobotCheck } from "./pages/robot";
import { freshEmail, linkIn, passwordIn, waitForMail } from "./support";

const js = () => test.info().project.name === "js";

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "1");
}

/** Opens `path`, waiting for the WASM with JavaScript so forms send through it. */
async function open(page: Page, path: string) {
  await page.goto(path);
  if (js()) await hydrated(page);
}

async function signIn(page: Page, login: string, password: string) {
  const form = new LoginPage(page);
  await form.open();
  if (js()) await hydrated(page);
  await form.login(login, password);
}

/** A page of its own signed in as `login`. */
async function someone(browser: Browser, login: string, password: string, home: RegExp): Promise<Page> {
  const ctx = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow", javaScriptEnabled: js() });
  const page = await ctx.newPage();
  await signIn(page, login, password);
  await expect(page).toHaveURL(home);
  return page;
}

/** Text of a downloaded PDF, whitespace collapsed. */
async function pdfText(download: Promise<import("@playwright/test").Download>): Promise<string> {
  const path = (await (await download).path())!;
  return execFileSync("pdftotext", [path, "-"]).toString().replace(/\s+/g, " ");
}

/** Opens a course found in the catalogue by `words`, in the year it starts. */
async function openCourse(page: Page, words: string, year: number) {
  await open(page, `/dpo/courses?year=${year}`);
  await page.getByLabel("Шифр или название курса").fill(words);
  await page.getByTestId("dpo-search").click();
  await expect(page.getByTestId("dpo-total")).toHaveText("1");
  await page.getByTestId("dpo-course").getByRole("link").click();
  await expect(page.getByTestId("dpo-course-title")).toBeVisible();
  if (js()) await hydrated(page);
}

async function applyHere(page: Page) {
  await page.getByTestId("dpo-apply").click();
  await expect(page.getByRole("dialog", { name: "Записаться на курс?" })).toBeVisible();
  if (js()) await hydrated(page);
  await page.getByTestId("dpo-confirm-apply").click();
  await expect(page.getByTestId("notice")).toHaveText("Ваша заявка на курс принята");
  await expect(page.getByTestId("dpo-mine").getByTestId("dpo-status")).toHaveText("Подана");
}

/** The year a course starting `days` from now (Moscow) starts in. */
function yearIn(days: number): number {
  const d = new Date(Date.now() + days * 86_400_000 + 3 * 3_600_000);
  return d.getUTCFullYear();
}

test("@nojs a teacher registers, applies, is rejected with a reason, applies again, is approved, enrolled, finishes and sees the record book; a paid application is withdrawn", async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  // Registration by e-mail at a school from the catalogue.
  const email = freshEmail("teacher");
  await open(page, "/register/teacher");
  await page.getByLabel("Фамилия").fill("Лебедева");
  await page.locator("#first_name").fill("Анна");
  await page.getByLabel("Отчество").fill("Сергеевна");
  await page.getByLabel("Электронная почта (логин)").fill(email);
  await page.getByLabel("Образовательная организация").selectOption({ label: "МБОУ «Средняя школа № 1»" });
  await page.getByLabel("Должность").fill("учитель русского языка");
  await page.getByLabel("Согласен(на) на обработку персональных данных").check();
  await page.getByLabel("Принимаю пользовательское соглашение").check();
  await passRobotCheck(page);
  await page.getByRole("button", { name: "Зарегистрироваться" }).click();
  await expect(page.getByTestId("register-sent")).toBeVisible();
  const confirm = await waitForMail(request, email, "Подтверждение регистрации");
  await open(page, linkIn(confirm));
  await page.getByRole("button", { name: "Подтвердить адрес и получить пароль" }).click();
  const password = passwordIn(await waitForMail(request, email, "Логин и пароль"));
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/dpo$/);
  await expect(page.getByRole("heading", { name: "Мои курсы" })).toBeVisible();
  await expect(page.getByText("МБОУ «Средняя школа № 1»")).toBeVisible();

  // «Записаться» with the confirmation.
  const budgetYear = yearIn(12);
  await openCourse(page, "функциональная грамотность", budgetYear);
  await applyHere(page);
  await waitForMail(request, email, "Ваша заявка на курс принята");

  // The head rejects it with a reason.
  const head = await someone(browser, "direktor@demo.kabinet.local", "Demo-Direktor-2026", /\/dpo\/school$/);
  if (js()) await hydrated(head);
  let row = head.getByTestId("school-application").filter({ hasText: email });
  await expect(row.getByTestId("dpo-status")).toHaveText("Подана");
  await row.getByTestId("school-reject-open").click();
  const reason = "Нет замены на уроках в эти даты";
  await row.getByTestId("school-reason-input").fill(reason);
  await row.getByTestId("school-reject").click();
  await expect(head.getByTestId("notice")).toHaveText("Заявка отклонена, педагог получит письмо с причиной.");
  await expect(head.getByTestId("school-application").filter({ hasText: email })).toHaveCount(0);
  const rejected = await waitForMail(request, email, "Заявка на курс отклонена");
  expect(rejected.body).toContain(reason);

  // The teacher's active list lost it; the history keeps it with the reason.
  await open(page, "/dpo");
  await expect(page.getByTestId("dpo-active").getByTestId("dpo-application")).toHaveCount(0);
  const history = page.getByTestId("dpo-history").getByTestId("dpo-application");
  await expect(history.getByTestId("dpo-status")).toHaveText("Отклонена");
  await expect(history.getByTestId("dpo-reason")).toHaveText(`Причина отклонения: ${reason}`);

  // Applied again; the head approves it with the «ticked» bulk approval.
  await openCourse(page, "функциональная грамотность", budgetYear);
  await applyHere(page);
  await open(head, "/dpo/school");
  row = head.getByTestId("school-application").filter({ hasText: email });
  await row.getByTestId("school-select").check();
  await head.getByTestId("approve-selected").click();
  await expect(head.getByTestId("notice")).toContainText("Согласовано заявок: 1.");
  await waitForMail(request, email, "Заявка на курс согласована");

  // The provider enrols the teacher into group 1.
  const iro = await someone(browser, "iro", "Demo-Iro-2026", /\/provider$/);
  await open(iro, "/provider/dpo");
  await iro.getByTestId("provider-course").filter({ hasText: "Функциональная грамотность" }).getByRole("link").click();
  await expect(iro.getByTestId("ready")).toBeVisible();
  if (js()) await hydrated(iro);
  const ready = iro.getByTestId("ready-row").filter({ hasText: email });
  await ready.getByTestId("enrol-group").selectOption({ index: 0 });
  await ready.getByTestId("enrol").click();
  await expect(iro.getByTestId("notice")).toHaveText("Педагог зачислен в группу и получит письмо.");
  await waitForMail(request, email, "Вы зачислены в группу");

  // The teacher sees «шифр + группа»; withdrawing now goes through support.
  await open(page, "/dpo");
  const active = page.getByTestId("dpo-active").getByTestId("dpo-application");
  await expect(active.getByTestId("dpo-group")).toHaveText(/Группа: ПК-\d{4}-101, группа 1/);
  await expect(active.getByTestId("dpo-withdraw")).toHaveCount(0);
  await expect(active.getByTestId("dpo-withdraw-closed")).toContainText("техподдержку");
  await expect(active.getByRole("link", { name: "Написать в техподдержку" })).toHaveAttribute("href", "/support");

  // «Закончил(а)» with the document's number: the record book and its PDF.
  await open(iro, iro.url());
  const studying = iro.getByTestId("studying-row").filter({ hasText: email });
  const documentNumber = `7724 ${Date.now() % 100_000_000}`;
  await studying.getByTestId("document-number").fill(documentNumber);
  await studying.getByTestId("complete").click();
  await expect(iro.getByTestId("notice")).toContainText("курс закончен");
  await open(page, "/dpo/record-book");
  await expect(page.getByTestId("record-book")).toContainText(documentNumber);
  await expect(page.getByTestId("record-hours")).toHaveText("72");
  const text = await pdfText(Promise.all([page.waitForEvent("download"), page.getByTestId("record-book-pdf").click()]).then(([d]) => d));
  expect(text).toContain("Зачётная книжка");
  expect(text).toContain(documentNumber.replace(/\s+/g, " "));

  // A paid course needs no approval; the teacher withdraws the application from the list.
  await openCourse(page, "цифровые инструменты", yearIn(7));
  await applyHere(page);
  await open(page, "/dpo");
  const paid = page.getByTestId("dpo-active").getByTestId("dpo-application").filter({ hasText: "Цифровые инструменты" });
  await paid.getByTestId("dpo-withdraw").click();
  await expect(page.getByTestId("notice")).toHaveText("Заявка отозвана.");
  await expect(page.getByTestId("dpo-history").getByTestId("dpo-application").filter({ hasText: "Цифровые инструменты" }).getByTestId("dpo-status")).toHaveText("Отозвана");
  await waitForMail(request, email, "Заявка на курс отозвана");
  // Every step left a notification.
  await expect(page.getByTestId("notifications").locator("li")).toHaveCount(8);
  await page.getByTestId("notifications-read").click();
  await expect(page.getByTestId("notifications-read")).toHaveCount(0);
});

test("@nojs a guest searches the catalogue by year, funding and free places, and opens a course card", async ({ page }) => {
  const next = yearIn(0) + 1;
  await open(page, "/dpo/courses");
  await page.getByTestId(`year-${next}`).click();
  await expect(page.getByTestId("dpo-total")).toHaveText("4");
  await page.getByLabel("Финансирование").selectOption({ label: "Платный" });
  await page.getByTestId("dpo-search").click();
  await expect(page.getByTestId("dpo-total")).toHaveText("1");
  await expect(page.getByTestId("dpo-course")).toContainText(`ПК-${next}-003`);
  await page.getByRole("link", { name: "Сбросить" }).click();
  await page.getByTestId("dpo-free").check();
  await page.getByTestId("dpo-search").click();
  await expect(page.getByTestId("dpo-total")).toHaveText("3");
  await expect(page.getByTestId("dpo-courses")).not.toContainText(`ПК-${next}-002`);
  await page.getByLabel("Шифр или название курса").fill(`ПК-${next}-001`);
  await page.getByTestId("dpo-search").click();
  await expect(page.getByTestId("dpo-total")).toHaveText("1");
  await page.getByTestId("dpo-course").getByRole("link").click();
  await expect(page.getByTestId("dpo-course-title")).toHaveText("Наставничество в образовательной организации");
  await expect(page.getByRole("link", { name: "Войдите как педагог" })).toBeVisible();
});
