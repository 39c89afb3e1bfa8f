import { describe, expect, it } from "vitest";
import { figureData, figureDataJson, panelGroups, seriesData, seriesX } from "../../src/core/figureData.ts";
import { historyFigure } from "../../src/core/figures.ts";
import { agRun, labels, load } from "../support/figureRuns.ts";

describe("figureData", () => {
  const history = load(agRun);
  const data = figureData(history, labels);

  it("figureData(history) has the figure's panels in its order, each with its series' values to 6 digits", () => {
    const figure = historyFigure(history, { labels, earlyStopping: { minDelta: 0.005, patience: 3 } });
    expect(data.panels.map((p) => [p.metric, p.title])).toEqual(figure.panels.map((p) => [p.metric, p.title]));
    expect(data.kerasEpochs).toBe(true);
    const valLoss = history.series.find((s) => s.name === "val_loss")!;
    const embedded = data.panels[0]!.series.find((s) => s.name === "val_loss")!;
    expect(seriesX(embedded)).toEqual(valLoss.x);
    expect(embedded.y).toEqual(valLoss.y.map((v) => Number(v!.toPrecision(6))));
    expect(embedded).toMatchObject({ x0: 0, dx: 1 });
  });
  it("seriesData(s) writes uneven x in full and non-finite values as null", () => {
    expect(seriesData({ x: [0, 1, 5], y: [1, NaN, null] })).toEqual({ x: [0, 1, 5], y: [1, null, null] });
  });
  it("figureDataJson(data) cannot close the script element it is written into", () => {
    const json = figureDataJson({ kerasEpochs: false, panels: [{ metric: "</script>&<b>", title: "x", axis: "epoch", series: [] }] });
    expect(json).not.toMatch(/[<>&]/);
    expect(JSON.parse(json).panels[0].metric).toBe("</script>&<b>");
  });
  it("panelGroups(metrics) groups a multi-output model's panels by output, opening at most 12", () => {
    const heads = ["edge", "line", "surface"].flatMap((h) => Array.from({ length: 10 }, (_, i) => `${h}_side_output_${i}_loss`));
    const groups = panelGroups(["loss", ...heads]);
    expect(groups.map((g) => [g.prefix, g.panels.length, g.open])).toEqual([
      ["", 1, true],
      ["edge", 10, true],
      ["line", 10, false],
      ["surface", 10, false],
    ]);
    expect(panelGroups(["loss", "sdice", "vsat_dice", "scat_dice"])).toEqual([{ prefix: "", panels: [0, 1, 2, 3], open: true }]);
    // 30 metrics with nothing in common: parts of 12, the first open.
    const parts = panelGroups(Array.from({ length: 30 }, (_, i) => `m${i}`));
    expect(parts.map((g) => [g.panels.length, g.open])).toEqual([
      [12, true],
      [12, false],
      [6, false],
    ]);
  });
});
