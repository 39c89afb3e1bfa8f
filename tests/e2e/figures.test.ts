import { copyFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { csvParse } from "d3-dsv";
import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { compareColors } from "../../src/client/compareSelected.ts";
import { valueColors } from "../../src/core/comparisonFigure.ts";
import { formatValue } from "../../src/core/figures.ts";
import { fixturePath, repoRoot } from "../support/fixtures.ts";
import { runCli, tempDir } from "../support/cli.ts";
import { useServedSample, useServedSite } from "../support/servedSite.ts";

const longRun = "2021-03-17/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_Adam_fat_384x192x1_N48_E300_L3_FBL8";
const three = [
  "2021-03-15/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_AdaDelta_fat_384x192x1_N48_E60_L4_FBL24",
  "2021-03-15/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_AdaDelta_fat_384x192x1_N48_E60_L4_FBL24_DR40",
  longRun,
];

/** Client coordinates of epoch `x` at mid-height of panel `metric` (through the panel's own scales and CTM). */
async function pointAt(page: Page, metric: string, x: number): Promise<{ x: number; y: number }> {
  return page.locator(`.panel svg.runsite-panel[data-metric="${metric}"]`).evaluate((svg, epoch) => {
    const [, d0, d1, r0, r1] = JSON.parse(svg.getAttribute("data-scales")!).x as number[];
    const [, , , y0, y1] = JSON.parse(svg.getAttribute("data-scales")!).y as number[];
    const px = r0! + ((epoch - d0!) / (d1! - d0!)) * (r1! - r0!);
    const point = new DOMPoint(px, (y0! + y1!) / 2).matrixTransform((svg as SVGSVGElement).getScreenCTM()!);
    return { x: point.x, y: point.y };
  }, x);
}

/** The readout's lines: the epoch, then "name value" per series. */
async function readout(page: Page, metric: string): Promise<string[]> {
  const panel = page.locator(".panel", { has: page.locator(`svg.runsite-panel[data-metric="${metric}"]`) });
  const tip = panel.locator('[role="tooltip"]');
  await tip.waitFor({ state: "visible" });
  return tip.evaluate((el) => [
    el.querySelector(".x")!.textContent!,
    ...[...el.querySelectorAll(".row")].map((r) => `${r.querySelector(".name")!.textContent} ${r.querySelector(".value")!.textContent}`),
  ]);
}

describe("figures you can read and explore, in Chromium", () => {
  const site = useServedSample();
  const experimentUrl = () => `${site.url}experiments/${longRun}/`;

  it("hovering epoch 150 of the 300-epoch run reads every series' value there, as in the CSV", async () => {
    const csv = csvParse(await readFile(path.join(repoRoot, "runs", `${longRun}.csv`), "utf8"));
    const { page, errors } = await site.open(experimentUrl());
    for (const [metric, epoch] of [
      ["sdice", 149],
      ["loss", 37],
      ["vsat_dice", 0],
      ["vsat_dice", 299],
    ] as const) {
      const at = await pointAt(page, metric, epoch);
      await page.mouse.move(at.x, at.y);
      const row = csv.find((r) => Number(r["epoch"]) === epoch)!;
      expect(await readout(page, metric)).toEqual([
        `epoch ${epoch + 1} (CSV ${epoch})`,
        `${metric} ${formatValue(Number(row[metric]))}`,
        `val_${metric} ${formatValue(Number(row[`val_${metric}`]))}`,
      ]);
    }
    // One rule on the panel under the pointer, no dot or <title> per epoch anywhere.
    await expect(page.locator('svg.runsite-panel[data-metric="vsat_dice"] .crosshair line').count()).resolves.toBe(1);
    await expect(page.locator("svg.runsite-panel circle title").count()).resolves.toBeLessThanOrEqual(12);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the crosshair works from the keyboard: focus a panel, arrows move it epoch by epoch", async () => {
    const csv = csvParse(await readFile(path.join(repoRoot, "runs", `${longRun}.csv`), "utf8"));
    const { page, errors } = await site.open(experimentUrl());
    const plot = page.locator(".panel", { has: page.locator('svg.runsite-panel[data-metric="sdice"]') }).locator(".panel-plot");
    await plot.focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    const lines = await readout(page, "sdice");
    expect(lines[0]).toBe("epoch 3 (CSV 2)");
    expect(lines[2]).toBe(`val_sdice ${formatValue(Number(csv[2]!["val_sdice"]))}`);
    await expect(plot.getAttribute("aria-describedby")).resolves.toMatch(/^readout-/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("dragging across a panel zooms into those epochs with y fitted to them; double-click resets", async () => {
    const { page, errors } = await site.open(experimentUrl());
    const [from, to] = [await pointAt(page, "sdice", 100), await pointAt(page, "sdice", 200)];
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, from.y, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    const svg = page.locator('svg.runsite-panel[data-metric="sdice"]');
    await expect(svg.locator("g.live").count()).resolves.toBe(1);
    // The left edge of the frame (a pointer left of it is held at it) now reads epoch ~100, and the y ticks span the values there only (all above 0.9).
    const [left] = JSON.parse((await svg.getAttribute("data-scales"))!).x.slice(3) as number[];
    const edge = await svg.evaluate((el, px) => {
      const p = new DOMPoint(px, 100).matrixTransform((el as SVGSVGElement).getScreenCTM()!);
      return { x: p.x, y: p.y };
    }, left!);
    await page.mouse.move(edge.x - 3, edge.y);
    const epoch = Number(/CSV (\d+)/.exec((await readout(page, "sdice"))[0]!)![1]);
    expect(epoch).toBeGreaterThanOrEqual(98);
    expect(epoch).toBeLessThanOrEqual(102);
    const yTicks = await svg.locator("g.live text.y-tick").allTextContents();
    expect(Math.min(...yTicks.map(Number))).toBeGreaterThan(0.85);
    await page.mouse.dblclick(edge.x + 20, edge.y);
    await expect(svg.locator("g.live").count()).resolves.toBe(0);
    await page.mouse.move(edge.x - 3, edge.y);
    expect((await readout(page, "sdice"))[0]).toBe("epoch 1 (CSV 0)");
    // The button resets too.
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    await expect(svg.locator("g.live").count()).resolves.toBe(1);
    await page.getByRole("button", { name: "Reset zoom" }).click();
    await expect(svg.locator("g.live").count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the smoothing slider draws a smoothed line over the faint raw one, and a reload keeps it through the URL", async () => {
    const { page, errors } = await site.open(experimentUrl());
    const svg = page.locator('svg.runsite-panel[data-metric="vsat_dice"]');
    await page.getByLabel("Smoothing").fill("0.8");
    expect(new URL(page.url()).searchParams.get("smooth")).toBe("0.8");
    const drawn = () =>
      svg.evaluate((el) => ({
        smoothed: [...el.querySelectorAll("g.live path.smoothed")].map((p) => p.getAttribute("d")),
        raw: [...el.querySelectorAll("g.live path.raw")].map((p) => [p.getAttribute("d"), p.getAttribute("stroke-opacity")]),
      }));
    const before = await drawn();
    expect(before.smoothed).toHaveLength(2);
    expect(before.raw).toHaveLength(2);
    for (let i = 0; i < 2; i++) {
      expect(before.smoothed[i]).not.toBe(before.raw[i]![0]);
      expect(Number(before.raw[i]![1])).toBeLessThan(0.5);
    }
    await page.reload({ waitUntil: "load" });
    await expect(page.getByLabel("Smoothing").inputValue()).resolves.toBe("0.8");
    expect((await drawn()).smoothed).toEqual(before.smoothed);
    // The readout gives both: the smoothed value and the raw one.
    const at = await pointAt(page, "vsat_dice", 50);
    await page.mouse.move(at.x, at.y);
    expect((await readout(page, "vsat_dice"))[1]).toMatch(/^vsat_dice [\d.]+ \(raw [\d.]+\)$/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the log switch redraws a panel on a log y axis and back", async () => {
    const { page, errors } = await site.open(experimentUrl());
    const panel = page.locator(".panel", { has: page.locator('svg.runsite-panel[data-metric="loss"]') });
    const button = panel.getByRole("button", { name: /log/ });
    const pressed = await button.getAttribute("aria-pressed");
    await button.click();
    await expect(button.getAttribute("aria-pressed")).resolves.toBe(pressed === "true" ? "false" : "true");
    await expect(panel.locator("g.live").count()).resolves.toBe(1);
    await button.click();
    await expect(panel.locator("g.live").count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("three runs ticked in the index open in the compare view, one legend entry each; the URL is a permalink", async () => {
    const { page, errors } = await site.open(site.url, { width: 1400 });
    for (const slug of three) await page.locator(`tr[data-slug="${slug}"] input[name="compare"]`).check();
    await page.getByRole("link", { name: "Compare selected (3)" }).click();
    await page.waitForSelector("[data-compare-selected][data-ready]");
    expect(new URL(page.url()).pathname).toBe("/compare/selected/");
    expect(new URL(page.url()).searchParams.getAll("run")).toEqual(three);
    const legend = await page.locator("[data-compare-legend] li").allTextContents();
    expect(legend).toEqual(three.map((s) => s.split("/").pop()));
    const panels = await page.locator("[data-compare-figure] .panel").count();
    expect(panels).toBe(5);
    // Three runs, three colours of lines in the loss panel.
    const strokes = await page
      .locator("[data-compare-figure] .panel")
      .nth(1)
      .locator("path[stroke]")
      .evaluateAll((ps) => [...new Set(ps.map((p) => p.getAttribute("stroke")))]);
    expect(strokes.toSorted()).toEqual(compareColors.slice(0, 3).toSorted());
    // Nothing came from elsewhere: Plot is a chunk of the site.
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((r) => r.name)
        .filter((n) => n.endsWith(".js")),
    );
    for (const s of scripts) expect(new URL(s).origin).toBe(new URL(site.url).origin);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("an experiment page loads at most 40 KB of JavaScript before any interaction, and no Plot", async () => {
    const { page, errors } = await site.open(experimentUrl());
    await page.waitForLoadState("networkidle");
    const external = await page.evaluate(async () => {
      const urls = performance
        .getEntriesByType("resource")
        .map((r) => r.name)
        .filter((n) => /\.m?js(\?|$)/.test(n));
      return Promise.all(urls.map(async (u) => ({ url: u, bytes: (await (await fetch(u)).arrayBuffer()).byteLength })));
    });
    const inline = await page
      .locator("script:not([src]):not([type='application/json'])")
      .evaluateAll((ss) => ss.reduce((n, s) => n + new TextEncoder().encode(s.textContent ?? "").length, 0));
    const total = external.reduce((n, s) => n + s.bytes, 0) + inline;
    expect(total, JSON.stringify(external)).toBeLessThanOrEqual(40 * 1024);
    expect(total).toBeGreaterThan(0);
    for (const s of external) expect(s.bytes, s.url).toBeLessThan(100 * 1024);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("printed at A4 width the experiment page is a clean figure and tables that fit: no controls, nothing wider than the paper", async () => {
    const { page, errors } = await site.open(`${site.url}experiments/${three[1]}/`, { width: 794 });
    await page.emulateMedia({ media: "print" });
    const layout = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      tools: [...document.querySelectorAll(".figure-tools, .scale-switch, header.site nav")].filter((e) => (e as HTMLElement).offsetParent !== null).length,
      widest: Math.max(...[...document.querySelectorAll("main table")].map((t) => t.getBoundingClientRect().right)),
      panels: [...document.querySelectorAll(".panel svg.runsite-panel")].map((s) => s.getBoundingClientRect().width),
    }));
    expect(layout.width).toBeLessThanOrEqual(794);
    expect(layout.widest).toBeLessThanOrEqual(794);
    expect(layout.tools).toBe(0);
    expect(layout.panels.length).toBe(5);
    for (const w of layout.panels) expect(w).toBeGreaterThan(150);
    const shot = await page.screenshot({ fullPage: true });
    expect(shot.byteLength).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("the compare view's colours", () => {
  it("compareColors are the comparison figures' valueColors (copied: that module loads Plot)", () => {
    expect(compareColors).toEqual(valueColors);
  });
});

describe("a 67-column multi-output Keras log", () => {
  const site = useServedSite(async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, "runs"), { recursive: true });
    await copyFile(fixturePath("corpus/keras_csvlogger/roadnet_multioutput.csv"), path.join(cwd, "runs", "roadnet_multioutput.csv"));
    const result = await runCli(["build", "--runs", "runs", "--out", "site"], cwd);
    if (result.code !== 0) throw new Error(`runsite build failed: ${result.stderr}`);
    return path.join(cwd, "site");
  });

  it("opens with at most 12 panels drawn, grouped by output; the rest one click away, and a filter finds any", async () => {
    const { page, errors } = await site.open(`${site.url}experiments/roadnet_multioutput/`);
    const drawn = () => page.locator(".panel svg.runsite-panel").evaluateAll((ss) => ss.filter((s) => s.checkVisibility()).length);
    const total = await page.locator(".panel svg.runsite-panel").count();
    expect(total).toBeGreaterThan(30);
    const open = await drawn();
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThanOrEqual(12);
    const groups = await page.locator("details.panel-group > summary").allTextContents();
    expect(groups.map((g) => g.split(" ")[0])).toEqual(["Overall", "edge_…", "line_…", "surface_…"]);
    await page.locator("details.panel-group:not([open]) > summary").first().click();
    expect(await drawn()).toBeGreaterThan(open);
    await page.getByLabel("Filter panels").fill("surface side 5");
    await expect(page.locator(".panel:visible svg.runsite-panel").evaluateAll((ss) => ss.map((s) => s.getAttribute("data-metric")))).resolves.toEqual([
      "surface_side_output_5_loss",
      "surface_side_output_5_my_mean_iou",
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
