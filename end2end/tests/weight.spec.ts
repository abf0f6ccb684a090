import { test, expect, Page } from "@playwright/test";

// What a phone pays for a page's scripts and WASM, as a browser fetches them on a first visit
// (brotli, bytes on the wire). The budget is 150 000 B on every page (issue «Light on a phone»);
// the caps below are today's figures with a small margin under it, so that the weight only goes
// down. Every page with islands loads the same WASM; these are the guest pages that have them.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "scripts are what is measured");

const CAPS: [string, number][] = [
  ["/", 5_500],
  ["/login", 141_500],
  ["/register", 141_500],
  ["/register/teacher", 141_500],
  ["/forgot", 141_500],
];

async function scriptBytes(page: Page, path: string): Promise<{ total: number; files: string[] }> {
  const sizes: Promise<[string, number]>[] = [];
  // Every script and WASM comes precompressed: its `content-length` is what travels.
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (/\.(js|wasm)$/.test(url.pathname)) {
      sizes.push(
        response.allHeaders().then((h) => {
          expect(h["content-encoding"], url.pathname).toBe("br");
          return [url.pathname, Number(h["content-length"])];
        }),
      );
    }
  });
  await page.goto(path);
  await page.waitForFunction(() => document.body.dataset.hydrated === "1");
  const files = await Promise.all(sizes);
  return { total: files.reduce((sum, [, n]) => sum + n, 0), files: files.map(([f, n]) => `${f} ${n}`) };
}

for (const [path, cap] of CAPS) {
  test(`${path} costs a phone at most ${cap} B of script and WASM`, async ({ page }) => {
    const { total, files } = await scriptBytes(page, path);
    console.log(`${path}: ${total} B (${files.join(", ")})`);
    expect(files.length, "the page loads its script").toBeGreaterThan(0);
    expect(total, files.join(", ")).toBeLessThanOrEqual(cap);
  });
}
