import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { csvParse } from "d3-dsv";
import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { generateArchive } from "../../scripts/generate-archive.ts";
import { decodeRunIndex } from "../../src/client/tableRows.ts";
import type { RunIndex } from "../../src/core/runIndex.ts";
import { runCli, tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";
import { useServedSite } from "../support/servedSite.ts";

// 250 runs: five index pages of 50; each dataset has 125 runs, so three pages (50, 50, 25).
const spec = { name: "pages", experiments: 250, rows: 6, seed: 17 };
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The runs a page lists, top to bottom (visible rows only). */
function listed(page: Page): Promise<string[]> {
  return page
    .locator("table.experiments tbody tr[data-slug]")
    .evaluateAll((trs) => trs.filter((tr) => (tr as HTMLElement).offsetParent !== null).map((tr) => tr.getAttribute("data-slug")!));
}

describe("an archive of 250 runs: index pages without JavaScript, every run sorted and filtered with it", () => {
  let runs = "";
  const site = useServedSite(async () => {
    const cwd = await tempDir("runsite-pages-");
    runs = path.join(cwd, "runs");
    await generateArchive(spec, runs);
    const result = await runCli(["build", "--content", path.join(repoRoot, "content"), "--out", "site"], cwd);
    expect(result.code, result.stderr).toBe(0);
    return path.join(cwd, "site");
  });
  const open = async (url: string, javaScriptEnabled = true) => {
    const opened = await site.open(url, { javaScriptEnabled, width: 1400 });
    if (javaScriptEnabled) await opened.page.waitForSelector('table.experiments[data-state="ready"]');
    return opened;
  };
  /** Every run in /runs.json order: the order the static pages list them in. */
  const allRuns = async () => decodeRunIndex(JSON.parse(await readFile(path.join(site.dist, "runs.json"), "utf8")) as RunIndex).slugs;

  it("without JavaScript, / and /page/2/ to /page/5/ list 50 runs each: each run once, in archive order, with a pager", async () => {
    const all = await allRuns();
    expect(all).toHaveLength(250);
    const { page, errors } = await open(site.url, false);
    const seen: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      if (n > 1) {
        // Reached by the pager's "Next" link, as a reader without JavaScript would.
        await page.locator('nav.pager a[rel="next"]').click();
        expect(new URL(page.url()).pathname).toBe(`/page/${n}/`);
      }
      const rows = await listed(page);
      expect(rows, `page ${n}`).toHaveLength(50);
      seen.push(...rows);
      await expect(page.locator('nav.pager a[aria-current="page"]').innerText()).resolves.toBe(String(n));
      await expect(page.locator(".pager-count").innerText()).resolves.toBe(`page ${n} of 5`);
      const links = await page.locator("nav.pager a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
      // The first, the last, and the pages either side.
      expect(links).toEqual(expect.arrayContaining(["/", "/page/5/", ...[n - 1, n + 1].filter((m) => m >= 2 && m <= 5).map((m) => `/page/${m}/`)]));
    }
    expect(seen).toEqual(all);
    await expect(page.locator('nav.pager a[rel="next"]').count()).resolves.toBe(0);
    expect((await page.request.get(`${site.url}page/6/`)).status()).toBe(404);
    // Page 2's rows are the archive's 51st to 100th runs, each linking to its page.
    await page.goto(`${site.url}page/2/`);
    const hrefs = await page.locator("table.experiments td.stem a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(hrefs).toEqual(all.slice(50, 100).map((slug) => `/experiments/${slug}/`));
    const html = await readFile(path.join(site.dist, "index.html"), "utf8");
    expect(html).not.toContain("data-text=");
    expect(html.match(/<tr data-slug=/g)).toHaveLength(50);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("without JavaScript, a dataset of 125 runs has three pages; with it, the dataset's page shows all 125 and only those", async () => {
    const { page, errors } = await open(`${site.url}datasets/fat_384x192x1/`, false);
    await expect(listed(page)).resolves.toHaveLength(50);
    await page.locator('nav.pager a[rel="next"]').click();
    expect(new URL(page.url()).pathname).toBe("/datasets/fat_384x192x1/page/2/");
    await expect(listed(page)).resolves.toHaveLength(50);
    await page.locator('nav.pager a[rel="next"]').click();
    expect(new URL(page.url()).pathname).toBe("/datasets/fat_384x192x1/page/3/");
    const last = await listed(page);
    expect(last).toHaveLength(25);
    for (const slug of last) expect(slug).toContain("/fat_384x192x1/");
    await page.context().close();

    const { page: enhanced, errors: enhancedErrors } = await open(`${site.url}datasets/fat_384x192x1/`);
    await expect(enhanced.locator(".table-controls output").innerText()).resolves.toBe("125 experiments, page 1 of 3");
    await enhanced.getByRole("button", { name: "Page 3" }).click();
    expect(new URL(enhanced.url()).search).toBe("?page=3");
    await expect(listed(enhanced)).resolves.toEqual(last);
    await expect(enhanced.locator('table.experiments th[data-key="dataset"]').count()).resolves.toBe(0);
    expect([...errors, ...enhancedErrors]).toEqual([]);
    await enhanced.context().close();
  });

  it("with JavaScript, a filter finds a run that is not on page 1, and the URL keeps the view", async () => {
    const all = await allRuns();
    const { page, errors } = await open(site.url);
    const first = await listed(page);
    expect(first).toEqual(all.slice(0, 50));
    // The archive's last run with a DR token, on page 5 of the static pages: its date and name match it alone
    // (a name without DR is the start of others).
    const target = all.findLast((s) => s.includes("_DR"))!;
    expect(all.indexOf(target)).toBeGreaterThanOrEqual(200);
    const [date] = target.split("/");
    const name = target.split("/").at(-1)!;
    const matching = all.filter((s) => s.startsWith(`${date}/`) && s.endsWith(`/${name}`));
    expect(matching).toEqual([target]);
    await page.locator('input[name="q"]').fill(`${name} ${date}`);
    await expect(listed(page)).resolves.toEqual([target]);
    await expect(page.locator(".table-controls output").innerText()).resolves.toBe("1 of 250 experiments");
    // A checkbox picked on one page stays picked through filtering: "Compare selected" links it.
    await page.getByRole("checkbox", { name: `Compare ${name}` }).check();
    await page.locator('input[name="q"]').fill("");
    await expect(page.locator(".table-controls output").innerText()).resolves.toBe("250 experiments, page 1 of 5");
    await expect(page.locator("a.compare-selected").getAttribute("href")).resolves.toBe(`/compare/selected/?${new URLSearchParams([["run", target]])}`);
    // Opened on /page/5/, the script shows page 5 of the archive's order: the rows of the static page.
    await page.goto(`${site.url}page/5/`);
    await page.waitForSelector('table.experiments[data-state="ready"]');
    await expect(listed(page)).resolves.toEqual(all.slice(200));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("with JavaScript, sorting by VAT Dice ranks all 250 runs (read from the CSVs), page by page, and the pager is keyboard-usable", async () => {
    const all = await allRuns();
    const best = new Map<string, number>();
    for (const slug of all) {
      const rows = csvParse(await readFile(path.join(runs, `${slug}.csv`), "utf8"));
      best.set(slug, Math.max(...rows.map((r) => Number(r["val_vsat_dice"]))));
    }
    const expected = [...all].sort((a, b) => best.get(b)! - best.get(a)! || all.indexOf(a) - all.indexOf(b));
    const { page, errors } = await open(site.url);
    await page.locator('th[data-key="val_vsat_dice"] button').click();
    expect(new URL(page.url()).search).toBe("?sort=val_vsat_dice&dir=desc&group=0");
    await expect(listed(page)).resolves.toEqual(expected.slice(0, 50));
    // Keyboard: the pager's buttons are reachable and work with Enter.
    await page.getByRole("button", { name: "Next" }).focus();
    for (const n of [2, 3, 4, 5]) {
      await page.keyboard.press("Enter");
      await expect(listed(page), `page ${n}`).resolves.toEqual(expected.slice((n - 1) * 50, n * 50));
    }
    expect(new URL(page.url()).search).toBe("?sort=val_vsat_dice&dir=desc&group=0&page=5");
    await expect(page.getByRole("button", { name: "Next" }).isDisabled()).resolves.toBe(true);
    // Grouped again: dates in order, each date's runs best first, across the pages.
    await page.getByLabel("Group by date").check();
    const grouped: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      await page.getByRole("button", { name: `Page ${n}` }).click();
      grouped.push(...(await listed(page)));
    }
    const dates = [...new Set(all.map((s) => s.slice(0, 10)))];
    expect(grouped).toEqual(dates.flatMap((d) => expected.filter((s) => s.startsWith(d))));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("axe-core finds no violations on a paginated index, enhanced and as served", async () => {
    for (const enhanced of [true, false]) {
      const context = await site.browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      // The static page as it is without the script's data: /runs.json unreachable, the table stays as served.
      if (!enhanced) await page.route("**/runs.json", (route) => route.abort());
      await page.goto(`${site.url}page/2/`, { waitUntil: "load" });
      await page.waitForSelector(`table.experiments[data-state="${enhanced ? "ready" : "static"}"]`);
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
        return (await axe.run(document, { resultTypes: ["violations"] })).violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
      });
      expect(violations, enhanced ? "enhanced" : "static").toEqual([]);
      await context.close();
    }
  });
});
