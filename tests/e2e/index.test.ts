import { csvParse } from "d3-dsv";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/fixtures.ts";
import { useServedSample } from "../support/servedSite.ts";

const runsRoot = path.join(repoRoot, "runs");
const dr40 = [
  "2021-03-02/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40",
  "2021-03-15/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_AdaDelta_fat_384x192x1_N48_E60_L4_FBL24_DR40",
];

/** Best (highest) val_vsat_dice of every sample run, read straight from the CSVs, by slug. */
async function bestVatDiceFromCsv(): Promise<Map<string, number>> {
  const entries = await readdir(runsRoot, { recursive: true, withFileTypes: true });
  const best = new Map<string, number>();
  for (const e of entries.filter((e) => e.isFile() && e.name.endsWith(".csv"))) {
    const file = path.join(e.parentPath, e.name);
    const rows = csvParse(await readFile(file, "utf8"));
    const values = rows.map((r) => Number(r["val_vsat_dice"])).filter(Number.isFinite);
    best.set(
      path
        .relative(runsRoot, file)
        .split(path.sep)
        .join("/")
        .replace(/\.csv$/, ""),
      Math.max(...values),
    );
  }
  return best;
}

/**
 * The rows a reader sees, top to bottom: slug, date group and the VAT Dice each
 * shows (the best value to 6 significant digits, as the table writes it).
 */
function visibleRows(page: Page): Promise<{ slug: string; group: string; vat: number }[]> {
  return page.locator("table.experiments").evaluate((table) => {
    const column = [...table.querySelectorAll("thead th")].findIndex((th) => th.getAttribute("data-key") === "val_vsat_dice");
    return [...table.querySelectorAll<HTMLTableRowElement>("tbody tr[data-slug]")]
      .filter((tr) => tr.offsetParent !== null)
      .map((tr) => ({
        slug: tr.getAttribute("data-slug")!,
        group: tr.closest("tbody")?.getAttribute("data-group") ?? "",
        vat: Number(tr.cells[column]?.firstChild?.textContent),
      }));
  });
}

/** As the table shows a value: 6 significant digits (core/figures.ts formatValue). */
const shown = (v: number) => Number(v.toPrecision(6));

describe("the archive index in Chromium", () => {
  const site = useServedSample();
  // With JavaScript, a page is ready once the table has read /runs.json and drawn its rows.
  const open = async (url: string, { javaScriptEnabled = true } = {}) => {
    const opened = await site.open(url, { javaScriptEnabled, width: 1400 });
    if (javaScriptEnabled) await opened.page.waitForSelector('table.experiments[data-state="ready"]');
    return opened;
  };

  it("sorting by best validation VAT Dice is a leaderboard: best first on the first click, across dates; grouped again, within dates", async () => {
    const fromCsv = await bestVatDiceFromCsv();
    expect(fromCsv.size).toBe(11);
    const { page, errors } = await open(site.url);
    const header = page.locator('table.experiments th[data-key="val_vsat_dice"] button');
    await expect(header.innerText()).resolves.toMatch(/^VAT Dice Score/);
    // One click: higher is better, so descending, and one ranking of all 11 runs.
    await header.click();
    expect(new URL(page.url()).search).toBe("?sort=val_vsat_dice&dir=desc&group=0");
    await expect(page.locator('th[data-key="val_vsat_dice"]').getAttribute("aria-sort")).resolves.toBe("descending");
    const flat = await visibleRows(page);
    const expected = [...fromCsv].sort((a, b) => b[1] - a[1]).map(([slug]) => slug);
    expect(flat.map((r) => r.slug)).toEqual(expected);
    await expect(page.locator("tr.group:visible").count()).resolves.toBe(0);

    // Grouped by date again: descending within each date, dates in order.
    await page.getByLabel("Group by date").check();
    expect(new URL(page.url()).search).toBe("?sort=val_vsat_dice&dir=desc");
    const grouped = await visibleRows(page);
    expect(grouped).toHaveLength(11);
    for (const row of grouped) expect(row.vat, row.slug).toBe(shown(fromCsv.get(row.slug)!));
    const dates = [...new Set(grouped.map((r) => r.slug.slice(0, 10)))];
    expect(dates).toEqual([...dates].sort());
    for (const date of dates) {
      const within = grouped.filter((r) => r.slug.startsWith(date)).map((r) => fromCsv.get(r.slug)!);
      expect(grouped.filter((r) => r.slug.startsWith(date)).every((r) => r.group === date)).toBe(true);
      expect(within, date).toEqual([...within].sort((a, b) => b - a));
    }
    // A second click turns the order round; a lower-is-better column sorts ascending first.
    await header.click();
    expect(new URL(page.url()).search).toBe("?sort=val_vsat_dice&dir=asc&group=0");
    await page.locator('table.experiments th[data-key="val_loss"] button').click();
    expect(new URL(page.url()).search).toBe("?sort=val_loss&dir=asc&group=0");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("a filter nothing matches says so in the table, with a way back; names break only after _", async () => {
    const { page, errors } = await open(`${site.url}?q=no-such-run`);
    await expect(visibleRows(page)).resolves.toEqual([]);
    const none = page.locator("tbody.no-match");
    await expect(none.isVisible()).resolves.toBe(true);
    await expect(none.innerText()).resolves.toMatch(/^No runs match the filter\./);
    await none.getByRole("button", { name: "Show all runs" }).click();
    await expect(visibleRows(page)).resolves.toHaveLength(11);
    await expect(none.isVisible()).resolves.toBe(false);
    // A wrapped name breaks between tokens (after "_", where <wbr> allows), never inside one.
    const tokens = await page.locator("table.experiments td.stem a").evaluateAll((as) =>
      as.flatMap((a) =>
        [...a.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => {
            const range = document.createRange();
            range.selectNodeContents(n);
            return { text: n.textContent!, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
          }),
      ),
    );
    expect(tokens.filter((t) => t.text.endsWith("_")).length).toBeGreaterThan(11);
    for (const t of tokens) expect(t.lines, t.text).toBe(1);
    const heights = await page.locator("table.experiments td.stem a").evaluateAll((as) => as.map((a) => a.getClientRects().length));
    expect(Math.max(...heights)).toBeGreaterThan(1);
    // One wording for a parameter a file name does not give: "—" in cells and in the filter.
    const dr = await page.locator('select[name="DR"] option').allTextContents();
    expect(dr).toContain("— (not given)");
    expect(dr).not.toContain("none");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("filtering DR = 40 leaves the two DR40 runs; reloading the URL brings the same view back", async () => {
    const { page, errors } = await open(site.url);
    await page.locator('select[name="DR"]').selectOption("40");
    expect(new URL(page.url()).search).toBe("?DR=40");
    const shown = (await visibleRows(page)).map((r) => r.slug);
    expect(shown).toEqual(dr40);
    await expect(page.locator(".table-controls output").innerText()).resolves.toBe("2 of 11 experiments");

    await page.reload({ waitUntil: "load" });
    await page.waitForSelector('table.experiments[data-state="ready"]');
    expect((await visibleRows(page)).map((r) => r.slug)).toEqual(dr40);
    await expect(page.locator('select[name="DR"]').inputValue()).resolves.toBe("40");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("a linked view (?sort=val_vsat_dice&dir=desc&q=attention&group=0) opens as linked", async () => {
    const fromCsv = await bestVatDiceFromCsv();
    const { page, errors } = await open(`${site.url}?sort=val_vsat_dice&dir=desc&q=attention&group=0`);
    const rows = await visibleRows(page);
    // "attention" is in the description of unet_2d_mdice_ag only (content/labels/models.yml).
    const expected = [...fromCsv]
      .filter(([slug]) => slug.includes("/unet_2d_mdice_ag/"))
      .sort((a, b) => b[1] - a[1])
      .map(([slug]) => slug);
    expect(expected).toHaveLength(3);
    expect(rows.map((r) => r.slug)).toEqual(expected);
    await expect(page.locator('input[name="q"]').inputValue()).resolves.toBe("attention");
    await expect(page.locator('input[name="group"]').isChecked()).resolves.toBe(false);
    await page.locator('select[name="DR"]').selectOption("40");
    expect(new URL(page.url()).search).toBe("?sort=val_vsat_dice&dir=desc&DR=40&q=attention&group=0");
    await expect(visibleRows(page)).resolves.toEqual([]);
    await page.getByRole("button", { name: "Reset" }).click();
    expect(new URL(page.url()).search).toBe("");
    await expect(visibleRows(page)).resolves.toHaveLength(11);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("without JavaScript the index is complete: every run, every column, grouped by date; tooltips only where the page says nothing else", async () => {
    const fromCsv = await bestVatDiceFromCsv();
    const { page, errors } = await open(`${site.url}?DR=40&group=0`, { javaScriptEnabled: false });
    await expect(page.locator(".table-controls").count()).resolves.toBe(0);
    const groups = await page
      .locator("table.experiments tbody")
      .evaluateAll((bodies) =>
        bodies.map((b) => ({ id: b.querySelector("tr.group th")?.id, slugs: [...b.querySelectorAll("tr[data-slug]")].map((tr) => tr.getAttribute("data-slug")!) })),
      );
    expect(groups.map((g) => g.id)).toEqual(["2021-03-01", "2021-03-02", "2021-03-10", "2021-03-11", "2021-03-12", "2021-03-15", "2021-03-17"].map((d) => `date-${d}`));
    for (const g of groups) for (const slug of g.slugs) expect(`date-${slug.slice(0, 10)}`).toBe(g.id);
    const rows = await visibleRows(page);
    expect(rows.map((r) => r.slug).sort()).toEqual([...fromCsv.keys()].sort());
    const headers = await page.locator("table.experiments thead th").allInnerTexts();
    expect(headers).toEqual([
      "Experiment",
      "Date",
      "Model",
      "Dataset",
      "Optimizer",
      "N",
      "E",
      "L",
      "FBL",
      "DR",
      "Epochs",
      "Multilabel Balanced Dice Loss",
      "Multilabel Dice Score",
      "Background Dice Score",
      "VAT Dice Score",
      "SAT Dice Score",
    ]);
    const early = Object.assign(page.locator('tr[data-slug="2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20"]'), {
      slug: "2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20",
    });
    // The configured stop (val_loss, patience 3, min_delta 0.005) ends the file at its last row: known to have stopped early.
    await expect(early.locator("td").nth(10).innerText()).resolves.toBe("10 / 40 stopped early");
    await expect(early.locator("td.stem a").getAttribute("href")).resolves.toBe(
      "/experiments/2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20/",
    );
    await expect(early.locator("td").nth(10).getAttribute("title")).resolves.toMatch(/^EarlyStopping on val_loss/);
    // A model is explained by the legend under the table, not by a tooltip in every row.
    await expect(early.locator("td").nth(2).getAttribute("title")).resolves.toBeNull();
    await expect(page.locator(".table-legend dd", { hasText: "unet_2d_mdice_ag" }).innerText()).resolves.toContain("2D U-Net with attention gates");
    await expect(page.locator("table.experiments [data-text], table.experiments tr[data-model]").count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();

    // With JavaScript the rows come from /runs.json: the same cells, links and notes, and the tooltips.
    const { page: enhanced, errors: enhancedErrors } = await open(`${site.url}?group=0`);
    const row = enhanced.locator(`tr[data-slug="${early.slug}"]`);
    await expect(row.locator("td.stem a").getAttribute("href")).resolves.toBe(`/experiments/${early.slug}/`);
    // The compare checkbox comes first: the cells are one further along.
    await expect(row.locator("td").nth(11).innerText()).resolves.toBe("10 / 40 stopped early");
    await expect(row.locator("td").nth(3).getAttribute("title")).resolves.toBe("Attention U-Net: 2D U-Net with attention gates, multi-label balanced Dice loss");
    await expect(row.locator("td").nth(3).locator("a").getAttribute("href")).resolves.toBe("/models/unet_2d_mdice_ag/");
    expect(enhancedErrors).toEqual([]);
    await enhanced.context().close();
  });

  it("the index ships at most 30 KB of JavaScript", async () => {
    const html = await readFile(path.join(site.dist, "index.html"), "utf8");
    const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).filter((s) => s.trim() !== "" && !/^\s*\{/.test(s));
    const seen = new Set<string>();
    const queue = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
    let bytes = inline.reduce((n, s) => n + Buffer.byteLength(s), 0);
    // Follow static imports between chunks, so shared chunks count too.
    while (queue.length > 0) {
      const src = queue.shift()!;
      if (seen.has(src)) continue;
      seen.add(src);
      const file = path.join(site.dist, src.replace(/^\//, ""));
      bytes += (await stat(file)).size;
      const code = await readFile(file, "utf8");
      for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["']([^"']+\.js)["']/g)) queue.push(path.posix.join(path.posix.dirname(src), m[1]!));
    }
    expect(seen.size + inline.length).toBeGreaterThan(0);
    console.log(`index JavaScript: ${bytes} bytes in ${seen.size} file(s) and ${inline.length} inline script(s)`);
    expect(bytes).toBeLessThanOrEqual(30 * 1024);
  });

  it("model, dataset and date pages show the description and only their runs; experiment pages have breadcrumbs", async () => {
    const { page, errors } = await open(`${site.url}models/unet_2d_mdice_ag/`);
    await expect(page.locator("h1").innerText()).resolves.toBe("Attention U-Net");
    await expect(page.locator("p.description").innerText()).resolves.toBe("2D U-Net with attention gates, multi-label balanced Dice loss");
    const slugs = (await visibleRows(page)).map((r) => r.slug);
    expect(slugs).toHaveLength(3);
    for (const slug of slugs) expect(slug).toContain("/unet_2d_mdice_ag/");

    await page.goto(`${site.url}datasets/fat_384x192x1/`);
    await page.waitForSelector('table.experiments[data-state="ready"]');
    await expect(page.locator("p.description").innerText()).resolves.toBe("fat MRI slices, 384×192 px, 1 channel");
    expect((await visibleRows(page)).map((r) => r.slug.slice(0, 10))).toEqual(["2021-03-15", "2021-03-15", "2021-03-17"]);

    await page.goto(`${site.url}dates/2021-03-02/`);
    await page.waitForSelector('table.experiments[data-state="ready"]');
    // A date's page has no date column, so nothing to group by: no "Group by date" box.
    await expect(page.getByLabel("Group by date").count()).resolves.toBe(0);
    await expect(page.locator('table.experiments th[data-key="date"]').count()).resolves.toBe(0);
    expect((await visibleRows(page)).map((r) => r.slug)).toEqual([
      dr40[0],
      "2021-03-02/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR20",
    ]);

    await page.goto(`${site.url}experiments/${dr40[0]}/`);
    const crumbs = page.locator("nav.breadcrumbs li");
    await expect(crumbs.allInnerTexts()).resolves.toEqual([
      "Archive",
      "2021-03-02",
      "unet_2d_mdice",
      "fat_768x384x1",
      "unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40",
    ]);
    const links = await page.locator("nav.breadcrumbs a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(links).toEqual(["/", "/dates/2021-03-02/", "/models/unet_2d_mdice/", "/datasets/fat_768x384x1/"]);
    for (const link of links) expect((await page.request.get(new URL(link, site.url).href)).status(), link).toBe(200);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
