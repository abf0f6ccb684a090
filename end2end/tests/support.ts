import { APIRequestContext, expect } from "@playwright/test";

/** The check digits of a СНИЛС, by the rule in DOMAIN.md. */
export function snilsChecksum(nine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (9 - i);
  let control: number;
  if (sum < 100) control = sum;
  else if (sum === 100 || sum === 101) control = 0;
  else {
    const r = sum % 101;
    control = r === 100 ? 0 : r;
  }
  return String(control).padStart(2, "0");
}

/** A fresh valid СНИЛС, formatted like 123-456-789 01. */
export function freshSnils(): string {
  const n = 100_000_000 + Math.floor(Math.random() * 899_999_999);
  const nine = String(n).padStart(9, "0");
  return `${nine.slice(0, 3)}-${nine.slice(3, 6)}-${nine.slice(6, 9)} ${snilsChecksum(nine)}`;
}

export function freshEmail(prefix = "e2e"): string {
  return `${prefix}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.ru`;
}

export interface Mail {
  id: number;
  to: string;
  subject: string;
  body: string;
}

/** Waits for a mail to `to` whose subject contains `subject`, read from the demo mailbox. */
export async function waitForMail(request: APIRequestContext, to: string, subject: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const res = await request.get("/dev/mail.json");
        const mails = (await res.json()) as Mail[];
        found = mails.find((m) => m.to === to && m.subject.includes(subject));
        return found !== undefined;
      },
      { timeout: 15_000, intervals: [250, 500, 1000] },
    )
    .toBe(true);
  return found!;
}

export function linkIn(mail: Mail): string {
  const m = mail.body.match(/https?:\/\/\S+/);
  if (!m) throw new Error(`no link in mail: ${mail.body}`);
  return new URL(m[0]).pathname + new URL(m[0]).search;
}

export function passwordIn(mail: Mail): string {
  const m = mail.body.match(/Пароль: (\S+)/);
  if (!m) throw new Error(`no password in mail: ${mail.body}`);
  return m[1];
}
