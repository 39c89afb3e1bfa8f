import { describe, expect, it } from "vitest";
import { useServedSample } from "../support/servedSite.ts";

const base = "/fat-unet/";

describe("full-text search (Pagefind) on the sample site under a non-root base", () => {
  const site = useServedSample(["--site", "https://lab.github.io", "--base", base], base);

  it('searching "attention" finds the attention-gate (_ag) runs, linked under the base', async () => {
    const { page, errors } = await site.open(`${site.url}search/?q=attention`);
    const results = page.locator(".pagefind-ui__result-link");
    await results.first().waitFor({ timeout: 15_000 });
    const hrefs = await results.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    const experiments = hrefs.filter((h) => h.startsWith(`${base}experiments/`));
    expect(experiments.length).toBeGreaterThanOrEqual(3);
    for (const h of experiments) expect(h).toMatch(/\/unet_2d_mdice_ag\//);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("under the base, the index's script reads /runs.json there and links runs, facets and the compare view there", async () => {
    const { page, errors } = await site.open(`${site.url}models/unet_2d_mdice_ag/`, { width: 1400 });
    await page.waitForSelector('table.experiments[data-state="ready"]');
    const links = await page.locator("table.experiments tbody a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(links.filter((h) => h.startsWith(`${base}experiments/`))).toHaveLength(3);
    for (const h of links) expect(h).toMatch(new RegExp(`^${base}(experiments|dates|datasets)/`));
    await page.locator('input[name="compare"]').first().check();
    await expect(page.locator("a.compare-selected").getAttribute("href")).resolves.toMatch(new RegExp(`^${base}compare/selected/\\?run=`));
    await page.getByRole("button", { name: "Reset" }).click();
    expect(new URL(page.url()).pathname).toBe(`${base}models/unet_2d_mdice_ag/`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the sitemap lists every experiment page on the site's origin", async () => {
    const response = await fetch(`${site.url}sitemap-0.xml`);
    expect(response.status).toBe(200);
    const xml = await response.text();
    const urls = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
    expect(urls.filter((u) => u.startsWith(`https://lab.github.io${base}experiments/`))).toHaveLength(11);
  });
});
