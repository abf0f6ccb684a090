import { Page, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/** WCAG 2.1 A and AA, the rules axe-core can check. */
export const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** axe-core on the page as it is now: no violation of WCAG 2.1 AA, each one listed if any. */
export async function expectAccessible(page: Page, label = "") {
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const found = results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes
        .slice(0, 4)
        .map((n) => `    ${n.target.join(" ")} — ${(n.failureSummary ?? "").split("\n").slice(1, 2).join("")}`)
        .join("\n"),
  );
  expect(found, `axe: ${label || new URL(page.url()).pathname}`).toEqual([]);
}
