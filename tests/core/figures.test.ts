import { describe, expect, it } from "vitest";
import { historyFigure } from "../../src/core/figures.ts";
import { parseMetricLabels } from "../../src/core/labels.ts";
import { adamRun, agRun, labels, load } from "../support/figureRuns.ts";

describe("historyFigure", () => {
  it("historyFigure(history) draws one panel per metric in the label table's order, titled by the labels", () => {
    const figure = historyFigure(load(agRun), { labels, earlyStopping: { minDelta: 0.005, patience: 3 } });
    expect(figure.panels.map((p) => [p.metric, p.title])).toEqual([
      ["loss", "Multilabel Balanced Dice Loss"],
      ["sdice", "Multilabel Dice Score"],
      ["background_dice", "Background Dice Score"],
      ["vsat_dice", "VAT Dice Score"],
      ["scat_dice", "SAT Dice Score"],
    ]);
    expect(figure.legend.map((l) => l.text)).toEqual(["training", "validation", "early stop (patience 3, min Δ 0.005)"]);
  });
  it("historyFigure(history, {labels: {}}) titles panels with the raw metric names", () => {
    const figure = historyFigure(load(agRun), { labels: {}, earlyStopping: { minDelta: 0.005, patience: 3 } });
    expect(figure.panels.map((p) => p.title)).toEqual(["background_dice", "loss", "scat_dice", "sdice", "vsat_dice"]);
  });
  it("historyFigure(history with lr) adds a learning-rate panel after the metrics", () => {
    const figure = historyFigure(load(adamRun), { labels, earlyStopping: { minDelta: 0.005, patience: 3 } });
    expect(figure.panels.map((p) => p.metric)).toEqual(["loss", "sdice", "background_dice", "vsat_dice", "scat_dice", "lr"]);
    expect(figure.panels.at(-1)!.title).toBe("Learning rate");
  });
});

describe("parseMetricLabels", () => {
  it("parseMetricLabels(text, file) keeps good entries and reports a bad one with its line, as a warning", () => {
    const text = "loss:\n  label: Dice loss\n  direction: min\nsdice: Mean Dice\nbad:\n  label: X\n  direction: up\n";
    const { labels: parsed, diagnostics } = parseMetricLabels(text, "metrics.yml");
    expect(parsed).toEqual({ loss: { label: "Dice loss", direction: "min" }, sdice: { label: "Mean Dice" } });
    expect(diagnostics.map((d) => [d.line, d.column, d.fatal, d.ruleId])).toEqual([[6, "bad.direction", false, "labels-entry"]]);
  });
  it("parseMetricLabels(broken YAML) reports the line and keeps nothing", () => {
    const { labels: parsed, diagnostics } = parseMetricLabels("loss:\n  label: [unclosed\n", "metrics.yml");
    expect(parsed).toEqual({});
    expect(diagnostics[0]).toMatchObject({ file: "metrics.yml", ruleId: "yaml", fatal: false });
    expect(diagnostics[0]!.line).toBeGreaterThanOrEqual(2);
  });
});
