import { describe, expect, it } from "vitest";
import { valueColor } from "../../src/core/comparisonFigure.ts";
import { useServedSample } from "../support/servedSite.ts";

const metricPanels = ["loss", "sdice", "background_dice", "vsat_dice", "scat_dice"];
const dropoutPair = "dropout/unet_2d_mdice/AdaDelta/fat_384x192x1/N48_E60_L4_FBL24";
const pairSlugs = [
  "2021-03-15/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_AdaDelta_fat_384x192x1_N48_E60_L4_FBL24",
  "2021-03-15/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_AdaDelta_fat_384x192x1_N48_E60_L4_FBL24_DR40",
];

describe("comparison pages of the sample site in Chromium", () => {
  const site = useServedSample();
  const open = site.open;

  it("/compare/ lists the six ablations of the sample archive, each linking to its page", async () => {
    const { page, errors } = await open(`${site.url}compare/`);
    const links = await page.locator("table.comparisons tbody tr td:first-child a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(links).toHaveLength(6);
    expect(links).toContain(`/compare/${dropoutPair}/`);
    // Six distinct names, each with what varies and what is fixed.
    const names = await page.locator("table.comparisons tbody tr td:first-child a").allInnerTexts();
    expect(new Set(names).size).toBe(6);
    expect(names).toContain("Dropout: 0% vs 40% · Fat MRI 384×192");
    expect(names).toContain("Dropout: 0% vs 40% · Fat MRI 768×384");
    const descriptions = await page.locator("table.comparisons tbody tr td:first-child .description").allInnerTexts();
    expect(descriptions).toHaveLength(6);
    for (const d of descriptions) expect(d).toMatch(/varies: .+\. Fixed: .+\.$/);
    for (const link of links) {
      const response = await page.request.get(new URL(link, site.url).href);
      expect(response.status(), link).toBe(200);
    }
    expect(await page.locator("header.site nav a", { hasText: "Compare" }).getAttribute("href")).toBe("/compare/");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the 2021-03-15 dropout page draws both validation curves in every panel, with a legend naming both values", async () => {
    const { page, errors } = await open(`${site.url}compare/${dropoutPair}/`);
    await expect(page.locator("h1").innerText()).resolves.toBe("Dropout: 0% vs 40% · Fat MRI 384×192");
    const figure = page.locator("figure.comparison");
    await expect(figure.isVisible()).resolves.toBe(true);
    await expect(figure.locator(".figure-legend li").evaluateAll((lis) => lis.map((li) => li.textContent!.trim()))).resolves.toEqual([
      "Dropout 0%",
      "Dropout 40%",
      "early stop (patience 3, min Δ 0.005)",
    ]);
    const legendColors = await figure.locator(".figure-legend li line").evaluateAll((lines) => lines.slice(0, 2).map((l) => l.getAttribute("stroke")));
    expect(legendColors).toEqual([valueColor(0), valueColor(1)]);
    const panels = await figure.locator("svg.runsite-panel").evaluateAll((svgs) =>
      svgs.map((svg) => ({
        metric: svg.getAttribute("data-metric"),
        lines: [...svg.querySelectorAll("path[stroke]")].map((p) => p.getAttribute("stroke")).filter((s) => s !== "currentColor"),
        tooltips: [...svg.querySelectorAll("title")].map((t) => t.textContent ?? ""),
        height: svg.getBoundingClientRect().height,
      })),
    );
    expect(panels.map((p) => p.metric)).toEqual(metricPanels);
    for (const panel of panels) {
      expect(panel.lines.toSorted(), panel.metric!).toEqual([valueColor(0), valueColor(1)].toSorted());
      // Each line names its run; values come from the crosshair (tests/e2e/figures.test.ts).
      expect(panel.tooltips, panel.metric!).toEqual(expect.arrayContaining([`Dropout 0% (2021-03-15): val_${panel.metric}`, `Dropout 40% (2021-03-15): val_${panel.metric}`]));
      expect(panel.height).toBeGreaterThan(100);
    }
    // The table links to both runs and marks per metric one winner (★, ahead by more than min_delta) or a tie of both.
    const rows = await page
      .locator("table.comparison tbody tr")
      .evaluateAll((trs) => trs.map((tr) => decodeURIComponent(new URL(tr.querySelector<HTMLAnchorElement>("a.stem")!.href).pathname).replace(/^\/experiments\/|\/$/g, "")));
    expect(rows).toEqual(pairSlugs);
    const marks: string[] = [];
    for (const metric of metricPanels) {
      const winners = await page.locator(`table.comparison td.winner[data-metric="${metric}"]`).count();
      const ties = await page.locator(`table.comparison td.tie[data-metric="${metric}"]`).count();
      expect(winners + ties === 1 || (winners === 0 && ties === 2), metric).toBe(true);
      marks.push(winners === 1 ? "★" : "tie");
      if (winners === 1) await expect(page.locator(`table.comparison td.winner[data-metric="${metric}"]`).innerText()).resolves.toContain("★");
      else for (const text of await page.locator(`table.comparison td.tie[data-metric="${metric}"]`).allInnerTexts()) expect(text).not.toContain("★");
    }
    // The two runs' Dice scores differ by less than min_delta 0.005 on some metric: not every column has a ★.
    expect(marks).toContain("tie");
    const memberLinks = await page.locator("table.comparison a.stem").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(memberLinks).toEqual(pairSlugs.map((s) => `/experiments/${s}/`));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("an experiment page links to the comparisons it belongs to", async () => {
    const { page, errors } = await open(`${site.url}experiments/2021-03-10/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24/`);
    const links = await page.locator("section.comparisons a").evaluateAll((as) => as.map((a) => [a.textContent, (a as HTMLAnchorElement).pathname]));
    expect(links).toEqual([
      ["Model: U-Net vs Attention U-Net", "/compare/model/AdaDelta/fat_768x384x1/N204_E24_L4_FBL24_DR0/"],
      ["Optimizer: AdaDelta vs Adam vs SGD", "/compare/optimizer/unet_2d_mdice/fat_768x384x1/N204_E24_L4_FBL24_DR0/"],
      ["Dropout: 0% vs 40% · Fat MRI 768×384", "/compare/dropout/unet_2d_mdice/AdaDelta/fat_768x384x1/N204_E24_L4_FBL24/"],
    ]);
    expect(errors).toEqual([]);
    await page.close();

    const { page: pair, errors: pairErrors } = await open(`${site.url}experiments/${pairSlugs[1]}/`);
    const pairLinks = await pair.locator("section.comparisons a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(pairLinks).toEqual([`/compare/${dropoutPair}/`]);
    expect(pairErrors).toEqual([]);
    await pair.close();
  });
});
