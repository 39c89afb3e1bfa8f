import type { Browser } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.ts";
import { buildSample } from "../support/cli.ts";
import { serveStatic } from "../support/serve.ts";

const base = "/fat-unet/";

describe("full-text search (Pagefind) on the sample site under a non-root base", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveStatic>>;

  beforeAll(async () => {
    const { dist: built } = await buildSample(["--site", "https://lab.github.io", "--base", base]);
    server = await serveStatic(built, base);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('searching "attention" finds the attention-gate (_ag) runs, linked under the base', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
    page.on("response", (r) => void (r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`)));
    await page.goto(`${server.url}search/?q=attention`);
    const results = page.locator(".pagefind-ui__result-link");
    await results.first().waitFor({ timeout: 15_000 });
    const hrefs = await results.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    const experiments = hrefs.filter((h) => h.startsWith(`${base}experiments/`));
    expect(experiments.length).toBeGreaterThanOrEqual(3);
    for (const h of experiments) expect(h).toMatch(/\/unet_2d_mdice_ag\//);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the sitemap lists every experiment page on the site's origin", async () => {
    const response = await fetch(`${server.url}sitemap-0.xml`);
    expect(response.status).toBe(200);
    const xml = await response.text();
    const urls = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
    expect(urls.filter((u) => u.startsWith(`https://lab.github.io${base}experiments/`))).toHaveLength(11);
  });
});
