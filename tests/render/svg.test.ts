import { describe, expect, it } from "vitest";
import { JSDOM } from "jsdom";
import { historyFigure, splitColors } from "../../src/core/figures.ts";
import { escapeXml, renderFigure, splitFigure } from "../../src/render/svg.ts";
import { agRun, labels, load } from "../support/figureRuns.ts";

/** Rounds numbers to 3 decimals so snapshots do not churn on float noise (as Plot's harness does). */
function normalize(svg: string): string {
  return svg.replace(/\d+\.\d{4,}/g, (n) => String(Number(Number(n).toFixed(3)))).replace(/></g, ">\n<");
}

describe("renderFigure", () => {
  const svg = renderFigure(historyFigure(load(agRun), { labels, earlyStopping: { minDelta: 0.005, patience: 3 } }));
  const doc = new JSDOM(svg, { contentType: "image/svg+xml" }).window.document;

  it("renderFigure(spec) returns one accessible SVG with a nested plot per panel", () => {
    const root = doc.documentElement;
    expect(root.getAttribute("role")).toBe("img");
    expect(root.getAttribute("aria-label")).toMatch(/^Training history of runs\/2021-03-12\/.*: Multilabel Balanced Dice Loss, /);
    expect([...doc.querySelectorAll("svg.runsite-panel")].map((p) => p.getAttribute("data-metric"))).toEqual(["loss", "sdice", "background_dice", "vsat_dice", "scat_dice"]);
    expect([...doc.querySelectorAll("text.panel-title")].map((t) => t.textContent)).toContain("VAT Dice Score");
  });
  it("renderFigure(spec) draws a training and a validation line in every panel", () => {
    for (const panel of doc.querySelectorAll("svg.runsite-panel")) {
      const strokes = [...panel.querySelectorAll("path[stroke]")].map((p) => p.getAttribute("stroke"));
      expect(strokes).toContain(splitColors.train);
      expect(strokes).toContain(splitColors.validation);
    }
  });
  it("renderFigure(spec) marks where early stopping fires: val_loss stops at epoch 9 like the real run", () => {
    const loss = doc.querySelector('svg.runsite-panel[data-metric="loss"]')!;
    const titles = [...loss.querySelectorAll("title")].map((t) => t.textContent);
    // Keras printed "Epoch 10: early stopping" and restored epoch 7: CSV rows 9 and 6.
    expect(titles.filter((t) => t?.startsWith("val_loss: EarlyStopping"))).toEqual([
      expect.stringMatching(/^val_loss: EarlyStopping stops after epoch 10 \(CSV row epoch 9\), restores epoch 7 \(CSV row epoch 6\) \(0\.00\d+\)$/),
    ]);
    // Only the validation series are marked by default (what EarlyStopping monitors).
    expect(titles.filter((t) => t?.startsWith("loss: EarlyStopping"))).toEqual([]);
    // No dot and <title> per epoch: the crosshair reads the page's figure data.
    expect(loss.querySelectorAll("circle").length).toBe(titles.filter((t) => t?.includes("restores")).length);
  });
  it("renderFigure(spec) writes each panel's scales for the page's script: x over the epochs, y as Plot chose", () => {
    const loss = doc.querySelector('svg.runsite-panel[data-metric="loss"]')!;
    const scales = JSON.parse(loss.getAttribute("data-scales")!);
    expect(scales.x.slice(0, 3)).toEqual(["linear", 0, 9]);
    expect(scales.x.slice(3)).toEqual([56, Number(loss.getAttribute("width")) - 14]);
    expect(scales.y[0]).toMatch(/^(linear|log)$/);
    expect(scales.y[3]).toBeGreaterThan(scales.y[4]);
  });
  it("splitFigure(svg) finds the legend and every panel with its title", () => {
    const { legend, panels } = splitFigure(svg);
    expect(legend.length).toBeGreaterThanOrEqual(3);
    expect(legend.slice(0, 2).map((l) => l.text)).toEqual(["training", "validation"]);
    expect(legend.some((l) => l.dashed)).toBe(true);
    expect(panels.map((p) => p.metric)).toEqual(["loss", "sdice", "background_dice", "vsat_dice", "scat_dice"]);
    expect(panels[3]!.title).toBe("VAT Dice Score");
    for (const p of panels) expect(p.svg).toMatch(/^<svg [^>]*runsite-panel[\s\S]*<\/svg>$/);
  });
  it("renderFigure(spec) matches the reviewed snapshot", async () => {
    await expect(normalize(svg)).toMatchFileSnapshot("../snapshots/figures/ag-run-2021-03-12.svg");
  });
  it("escapeXml(text) escapes markup from metric names", () => {
    expect(escapeXml(`<img src=x onerror="a()">&'`)).toBe("&#60;img src=x onerror=&#34;a()&#34;&#62;&#38;&#39;");
  });
});
