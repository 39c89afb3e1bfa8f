import path from "node:path";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { splitColors } from "../../src/core/figures.ts";
import { stopRows } from "../../src/core/inspect.ts";
import { repoRoot } from "../support/fixtures.ts";
import { useServedSample } from "../support/servedSite.ts";

const metricPanels = ["loss", "sdice", "background_dice", "vsat_dice", "scat_dice"];
const agSlug = "2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20";

describe("the built sample site in Chromium", () => {
  const site = useServedSample();
  const open = site.open;

  it("the index lists all 11 experiments, each linking to its page", async () => {
    const { page, errors } = await open(site.url);
    const links = await page.locator("table.experiments tbody tr[data-slug] td.stem a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(links).toHaveLength(11);
    expect(links).toContain(`/experiments/${agSlug}/`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("every experiment page shows a figure with 5 metric panels, each with a training and a validation line", async () => {
    const { page: index } = await open(site.url);
    const links = await index.locator("td.stem a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    await index.close();
    for (const link of links) {
      const { page, errors } = await open(link);
      const figure = page.locator("figure.history");
      await expect(figure.isVisible()).resolves.toBe(true);
      const panels = await figure.locator(".panel svg.runsite-panel").evaluateAll((svgs) =>
        svgs.map((svg) => ({
          metric: svg.getAttribute("data-metric"),
          strokes: [...svg.querySelectorAll("path[stroke]")].map((p) => p.getAttribute("stroke")),
          height: svg.getBoundingClientRect().height,
        })),
      );
      expect(
        panels.map((p) => p.metric).filter((m) => metricPanels.includes(m!)),
        link,
      ).toEqual(metricPanels);
      for (const panel of panels.filter((p) => metricPanels.includes(p.metric!))) {
        expect(panel.strokes, `${link} ${panel.metric}`).toEqual(expect.arrayContaining([splitColors.train, splitColors.validation]));
        expect(panel.height).toBeGreaterThan(100);
      }
      expect(errors, link).toEqual([]);
      await page.close();
    }
  });

  it("the early-stopped run's page says 10 of 40 epochs, and its download is the original file", async () => {
    const { page, errors } = await open(`${site.url}experiments/${agSlug}/`);
    await expect(page.locator("p.epochs").innerText()).resolves.toMatch(/^Epochs run: 10 of 40 planned\s*stopped early$/);
    const titles = await page.locator('.panel svg.runsite-panel[data-metric="loss"] title').allTextContents();
    expect(titles.some((t) => /^val_loss: EarlyStopping stops after epoch 10 \(CSV row epoch 9\), restores epoch 7 \(CSV row epoch 6\)/.test(t))).toBe(true);
    const href = await page.locator("figcaption a[download]").getAttribute("href");
    const response = await page.request.get(new URL(href!, page.url()).href);
    const original = await readFile(path.join(repoRoot, "runs", `${agSlug}.csv`));
    expect(Buffer.from(await response.body()).equals(original)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the early-stopped run's page says what Keras printed for that training: stopped after epoch 10, restored epoch 7", async () => {
    const { page, errors } = await open(`${site.url}experiments/${agSlug}/`);
    // Verified against the real Keras: tests/fixtures/keras-early-stopping (val_loss, min_delta 0.005, patience 3).
    const summary = (await page.locator("p.stop-summary").innerText()).replace(/\s+/g, " ");
    expect(summary).toContain("With patience 3 on val_loss, EarlyStopping stops after epoch 10 (CSV row epoch 9), restores epoch 7 (CSV row epoch 6).");
    expect(summary).toContain("Keras prints: Epoch 10: early stopping · Restoring model weights from the end of the best epoch: 7.");
    await expect(page.locator("p.epochs .badge").getAttribute("title")).resolves.toMatch(/^EarlyStopping on val_loss \(patience 3, min_delta 0\.005\) stops after epoch 10/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the early-stopped run's downloads hold what the page shows: stop after epoch 10 (CSV row 9), restore epoch 7 (CSV row 6)", async () => {
    const { page, errors } = await open(`${site.url}experiments/${agSlug}/`);
    // The column of the figure's patience (3) is the emphasised one; its header says so.
    await expect(page.locator("table.stops thead th.default").innerText()).resolves.toBe("patience 3");
    const cell = page.locator('table.stops tr[data-series="val_loss"] td.default');
    await expect(cell.innerText()).resolves.toMatch(/^after 10, restores 7\s+\(0\.00478194; saves 0\)$/);
    const links = await page.locator("p.downloads a").evaluateAll((as) => as.map((a) => [a.textContent, (a as HTMLAnchorElement).href]));
    expect(links.map(([text]) => text)).toEqual(["normalised history (JSON)"]);
    // The other downloads are made in the browser on click (tests/e2e/downloads.test.ts compares them with the core functions).
    const buttons = page.locator("p.downloads button[data-download]");
    await expect(buttons.allInnerTexts()).resolves.toEqual([
      "figure (SVG)",
      "figure on dark (SVG)",
      "early stopping (CSV)",
      "early-stopping table (LaTeX)",
      "early-stopping table (Markdown)",
    ]);
    const json = JSON.parse(await (await page.request.get(links[0]![1]!)).text());
    expect(stopRows(json).find((r) => r.series === "val_loss" && r.patience === 3)).toMatchObject({ stoppedEpoch: 9, restoredEpoch: 6 });
    const body = async (label: string) => {
      const [download] = await Promise.all([page.waitForEvent("download"), buttons.filter({ hasText: label }).click()]);
      return readFile((await download.path())!, "utf8");
    };
    // The paper table counts epochs as Keras prints them: CSV epochs 9 and 6 are Keras' 10 and 7.
    expect(await body("early-stopping table (Markdown)")).toMatch(/^\| Multilabel Balanced Dice Loss ↓ \| 10 \| 7 \| 0\.004782 \|/m);
    expect(await body("early stopping (CSV)")).toMatch(/^val_loss,loss,validation,min,0\.005,3,stops,10,9,7,6,/m);
    const svg = await body("figure (SVG)");
    expect(svg).toContain('data-metric="loss"');
    expect(svg).toContain("val_loss: EarlyStopping stops after epoch 10 (CSV row epoch 9), restores epoch 7 (CSV row epoch 6)");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the data table is drawn from the figure's data when it opens (every value of the CSV), and links the original file without JavaScript", async () => {
    const { page, errors } = await open(`${site.url}experiments/${agSlug}/`);
    await expect(page.locator("details.data table").count()).resolves.toBe(0);
    await page.locator("details.data > summary").click();
    const table = page.locator("details.data table");
    const header = await table.locator("thead th").allInnerTexts();
    expect(header[0]).toBe("epoch");
    const csv = (await readFile(path.join(repoRoot, "runs", `${agSlug}.csv`), "utf8")).trim().split(/\r?\n/);
    const columns = csv[0]!.split(",");
    expect(header.slice(1).toSorted()).toEqual(columns.filter((c) => c !== "epoch").toSorted());
    const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows).toHaveLength(csv.length - 1);
    // Row 6 (CSV epoch 6), column val_loss: the value as the file has it, to 6 significant digits.
    const line = csv[7]!.split(",");
    const valLoss = header.indexOf("val_loss");
    expect(rows[6]![0]).toBe(line[columns.indexOf("epoch")]);
    expect(rows[6]![valLoss]).toBe(String(Number(Number(line[columns.indexOf("val_loss")]).toPrecision(6))));
    await expect(page.locator("details.data .table-scroll[role=region][tabindex='0']").getAttribute("aria-label")).resolves.toBe("Values by epoch");
    expect(errors).toEqual([]);
    await page.close();
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const still = await context.newPage();
    await still.goto(`${site.url}experiments/${agSlug}/`);
    await still.locator("details.data > summary").click();
    await expect(still.locator("details.data table").count()).resolves.toBe(0);
    const link = still.locator("details.data a");
    await expect(link.innerText()).resolves.toBe("the original file");
    const response = await still.request.get(await link.evaluate((a) => (a as HTMLAnchorElement).href));
    expect(await response.text()).toBe(await readFile(path.join(repoRoot, "runs", `${agSlug}.csv`), "utf8"));
    await context.close();
  });

  it("the experiment page reads in dark mode and prints as a clean figure and tables (screenshots: npm run screenshots)", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme: "dark" });
    await page.goto(`${site.url}experiments/${agSlug}/`);
    const colors = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector(".panel-plot")!).color]);
    expect(colors).toEqual(["rgb(21, 23, 27)", "rgb(230, 230, 230)"]);
    await page.emulateMedia({ media: "print", colorScheme: "light" });
    const hidden = await page.evaluate(() => ["header.site nav", "footer", "p.downloads", "details.data"].map((s) => getComputedStyle(document.querySelector(s)!).display));
    expect(hidden).toEqual(["none", "none", "none", "none"]);
    await page.close();
  });
});
