import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findComparisons, type Comparison } from "../../src/core/ablations.ts";
import { buildArchive, type Experiment } from "../../src/core/archive.ts";
import { comparisonFigure, valueColor } from "../../src/core/comparisonFigure.ts";
import { comparisonTable } from "../../src/core/comparisonTable.ts";
import { earlyStopping } from "../../src/core/earlyStopping.ts";
import { buildComparisons } from "../../src/core/comparisons.ts";
import { normalizeConfig } from "../../src/core/config.ts";
import { parseMetricLabels } from "../../src/core/labels.ts";
import { renderFigure } from "../../src/render/svg.ts";
import { repoRoot } from "../support/fixtures.ts";
import { samplePaths } from "../support/samplePaths.ts";

// The sample archive's own settings (runsite.config.json: the seed's min_delta 0.005).
const config = normalizeConfig(JSON.parse(readFileSync(path.join(repoRoot, "runsite.config.json"), "utf8")));
const labels = parseMetricLabels(readFileSync(path.join(repoRoot, "content/labels/metrics.yml"), "utf8"), "metrics.yml").labels;
const archive = buildArchive(
  samplePaths.map((file) => ({ file, bytes: readFileSync(path.join(repoRoot, "runs", file)) })),
  config,
  labels,
);
const { comparisons } = findComparisons(
  archive.experiments.map((e) => e.info),
  { params: config.params },
);
const options = { labels, earlyStopping: config.earlyStopping };
const dropoutPair = comparisons.find((c) => c.id === "dropout/unet_2d_mdice/AdaDelta/fat_384x192x1/N48_E60_L4_FBL24")!;
const optimizers = comparisons.find((c) => c.vary === "optimizer")!;

/** The data of one mark of a panel, by the index of the mark. */
const bySlug = (experiments: readonly Experiment[]) => new Map(experiments.map((e) => [e.info.slug, e]));

/**
 * The data of a panel's lines (a Plot mark) or early-stopping rules (drawn by
 * the renderer, `overlay.rules`, with the comparison value as `value`).
 */
const markData = (comparison: Comparison, metric: string, kind: "line" | "rule", figureOptions = options): Record<string, unknown>[] => {
  const panel = comparisonFigure(comparison, archive.experiments, figureOptions).panels.find((p) => p.metric === metric)!;
  if (kind === "rule") return panel.overlay.rules.flatMap((layer) => layer.data.map((d) => ({ ...d, value: d.z })));
  const mark = panel.plot.marks!.find((m) => (m as unknown as { ariaLabel?: string }).ariaLabel === kind);
  return mark === undefined ? [] : (mark as unknown as { data: Record<string, unknown>[] }).data;
};

describe("comparisonFigure", () => {
  it("comparisonFigure(dropout pair) draws one panel per metric, in the label table's order, with the sizes of historyFigure", () => {
    const figure = comparisonFigure(dropoutPair, archive.experiments, options);
    expect(figure.panels.map((p) => [p.metric, p.title])).toEqual([
      ["loss", "Multilabel Balanced Dice Loss"],
      ["sdice", "Multilabel Dice Score"],
      ["background_dice", "Background Dice Score"],
      ["vsat_dice", "VAT Dice Score"],
      ["scat_dice", "SAT Dice Score"],
    ]);
    expect(figure.panels.map((p) => [p.x, p.y, p.width, p.height])).toEqual([
      [0, 48, 320, 230],
      [320, 48, 320, 230],
      [640, 48, 320, 230],
      [0, 300, 320, 230],
      [320, 300, 320, 230],
    ]);
    expect([figure.width, figure.height]).toEqual([960, 530]);
    expect(figure.label).toBe(
      "Dropout: 0% vs 40% · fat_384x192x1: validation curves of 2 experiments (Multilabel Balanced Dice Loss, Multilabel Dice Score, Background Dice Score, VAT Dice Score, SAT Dice Score)",
    );
  });

  it("comparisonFigure(…) has a legend of the varying values in their colours, then the early-stopping mark", () => {
    expect(comparisonFigure(optimizers, archive.experiments, options).legend).toEqual([
      { text: "AdaDelta", color: valueColor(0) },
      { text: "Adam", color: valueColor(1) },
      { text: "SGD", color: valueColor(2) },
      { text: "early stop (patience 3, min Δ 0.005)", color: "currentColor", dashed: true },
    ]);
  });

  it("comparisonFigure(…) draws each member's validation series, coloured by its value", () => {
    const points = markData(dropoutPair, "loss", "line");
    const byValue = Object.groupBy(points, (p) => String(p["value"]));
    expect(Object.keys(byValue)).toEqual(["Dropout 0%", "Dropout 40%"]);
    expect(byValue["Dropout 0%"]).toHaveLength(60);
    expect(String(byValue["Dropout 40%"]![0]!["title"])).toBe("Dropout 40% (2021-03-15): val_loss");
    const panel = comparisonFigure(dropoutPair, archive.experiments, options).panels[0]!;
    expect(panel.plot.color).toEqual({ domain: ["Dropout 0%", "Dropout 40%"], range: [valueColor(0), valueColor(1)] });
  });

  it("comparisonFigure(…) marks early stopping (patience from the config) for every member", () => {
    const stops = markData(optimizers, "loss", "rule").map((s) => [s["value"], s["x"]]);
    const expected = optimizers.members.flatMap((m) => {
      const series = archive.experiments.find((e) => e.info.slug === m.slug)!.history.series.find((s) => s.name === "val_loss")!;
      const { stoppedEpoch } = earlyStopping(series, { mode: "min", minDelta: 0.005, patience: 3 });
      return stoppedEpoch === null ? [] : [[m.value, stoppedEpoch]];
    });
    expect(stops).toEqual(expected);
    expect(stops.length).toBeGreaterThan(1);
    expect(markData(optimizers, "loss", "rule", { ...options, earlyStopping: { ...options.earlyStopping, patience: 100 } })).toEqual([]);
  });

  it("comparisonFigure(…) shares one x domain between the panels: the longest run's epochs", () => {
    const epochs = comparisons.find((c) => c.vary === "E")!;
    const figure = comparisonFigure(epochs, archive.experiments, options);
    expect(new Set(figure.panels.map((p) => JSON.stringify(p.plot.x)))).toEqual(new Set([JSON.stringify({ domain: [0, 23], label: "epoch", labelAnchor: "right" })]));
  });

  it("comparisonFigure(…) draws training curves when no member has validation series", () => {
    const trainOnly = (e: Experiment): Experiment => ({ ...e, history: { ...e.history, series: e.history.series.filter((s) => s.split !== "validation") } });
    const figure = comparisonFigure(dropoutPair, archive.experiments.map(trainOnly), options);
    expect(figure.label).toMatch(/: training curves of 2 experiments/);
    expect(figure.panels).toHaveLength(5);
  });

  it("renderFigure(comparisonFigure(…)) draws both members' lines in each panel and names both values in the legend", () => {
    const svg = renderFigure(comparisonFigure(dropoutPair, archive.experiments, options));
    expect(svg).toContain(">Dropout 0%</text>");
    expect(svg).toContain(">Dropout 40%</text>");
    for (const panel of svg
      .split('class="runsite-panel')
      .slice(1)
      .map((p) => p.split("</svg>")[0]!)) {
      const strokes = [...panel.matchAll(/<path[^>]* stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
      expect(new Set(strokes)).toEqual(new Set([valueColor(0), valueColor(1)]));
    }
  });
});

describe("comparisonTable", () => {
  it("comparisonTable(dropout pair) gives each member's best validation value and epoch, and marks one winner per metric", () => {
    const experiments = bySlug(archive.experiments);
    const table = comparisonTable(dropoutPair, experiments, labels);
    expect(table.columns.map((c) => [c.metric, c.mode])).toEqual([
      ["loss", "min"],
      ["sdice", "max"],
      ["background_dice", "max"],
      ["vsat_dice", "max"],
      ["scat_dice", "max"],
    ]);
    for (const row of table.rows) {
      const best = experiments.get(row.member.slug)!.bestValidation;
      expect(row.cells.map((c) => [c!.value, c!.epoch])).toEqual(table.columns.map((c) => [best[c.metric]!.value, best[c.metric]!.epoch]));
    }
    table.columns.forEach(({ mode }, i) => {
      const cells = table.rows.map((r) => r.cells[i]!);
      const winner = cells.find((c) => c.winner)!;
      expect(cells.filter((c) => c.winner)).toHaveLength(1);
      for (const c of cells) expect(mode === "min" ? winner.value <= c.value : winner.value >= c.value).toBe(true);
    });
    expect(table.rows[1]!.cells[0]).toMatchObject({ winner: true });
  });

  it("comparisonTable(…) marks equal values as a tie, no winner, and nothing in a column with one value", () => {
    const [a, b] = dropoutPair.members.map((m) => archive.experiments.find((e) => e.info.slug === m.slug)!);
    const tied = { ...b!, bestValidation: { ...b!.bestValidation, loss: { ...a!.bestValidation["loss"]! } } };
    const lonely = { ...b!, bestValidation: { loss: b!.bestValidation["loss"]! } };
    expect(comparisonTable(dropoutPair, bySlug([a!, tied]), labels).rows.map((r) => [r.cells[0]!.winner, r.cells[0]!.tie])).toEqual([
      [false, true],
      [false, true],
    ]);
    const single = comparisonTable(dropoutPair, bySlug([{ ...a!, bestValidation: {} }, lonely]), labels);
    expect(single.columns.map((c) => c.metric)).toEqual(["loss"]);
    expect(single.rows.map((r) => r.cells[0])).toEqual([null, expect.objectContaining({ winner: false, tie: false })]);
  });

  it("comparisonTable(…, minDelta) gives ★ only where the best beats the next by more than minDelta, else a tie", () => {
    const experiments = bySlug(archive.experiments);
    const [a, b] = dropoutPair.members.map((m) => experiments.get(m.slug)!.bestValidation);
    const table = (minDelta: number) => comparisonTable(dropoutPair, experiments, labels, minDelta);
    table(0).columns.forEach(({ metric }, i) => {
      const gap = Math.abs(a![metric]!.value - b![metric]!.value);
      // Just below the gap: one winner; at the gap or above: both tied, no winner.
      const below = table(gap * 0.99).rows.map((r) => r.cells[i]!);
      expect(
        below.filter((c) => c.winner),
        metric,
      ).toHaveLength(1);
      expect(
        below.some((c) => c.tie),
        metric,
      ).toBe(false);
      const above = table(gap * 1.01).rows.map((r) => r.cells[i]!);
      expect(
        above.map((c) => [c.winner, c.tie]),
        metric,
      ).toEqual([
        [false, true],
        [false, true],
      ]);
    });
    // With the sample's min_delta 0.005 the two dropout runs tie on the Dice scores that differ in the third decimal.
    const sample = table(0.005);
    const gaps = sample.columns.map(({ metric }) => Math.abs(a![metric]!.value - b![metric]!.value));
    sample.columns.forEach((_, i) => {
      expect(sample.rows.some((r) => r.cells[i]!.winner)).toBe(gaps[i]! > 0.005);
    });
    expect(gaps.some((g) => g <= 0.005)).toBe(true);
  });
});

describe("buildComparisons", () => {
  it("buildComparisons(experiments, config, labels) prepares every comparison's table", () => {
    const { comparisons: prepared, diagnostics } = buildComparisons(archive.experiments, config, labels);
    expect(prepared.map((p) => p.comparison)).toEqual(comparisons);
    expect(prepared.every((p) => p.table.rows.length === p.comparison.members.length)).toBe(true);
    expect(diagnostics).toEqual([]);
  });
});
