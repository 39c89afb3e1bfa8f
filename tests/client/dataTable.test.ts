import { describe, expect, it } from "vitest";
import { dataTables } from "../../src/client/dataTable.ts";
import { figureData } from "../../src/core/figureData.ts";
import { agRun, labels, load } from "../support/figureRuns.ts";

describe("dataTables", () => {
  it("dataTables(figureData(history)) has every value of the last training's series, by epoch, as the page's table had", () => {
    const history = load(agRun);
    const tables = dataTables(figureData(history, labels));
    const series = history.series.filter((s) => s.attempt === history.attempts.length - 1 && s.role !== "other");
    expect(tables.map((t) => t.axis)).toEqual([...new Set(series.map((s) => s.axis))]);
    const [table] = tables;
    expect(table!.reduced).toBe(false);
    expect(table!.columns.toSorted()).toEqual(series.map((s) => s.name).toSorted());
    expect(table!.rows.map(([x]) => x)).toEqual([...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b));
    for (const s of series) {
      const column = table!.columns.indexOf(s.name);
      expect(
        table!.rows.map(([, values]) => values[column]),
        s.name,
      ).toEqual(s.y.map((v) => (v === null || !Number.isFinite(v) ? null : Number(v.toPrecision(6)))));
    }
  });
  it("dataTables(data) leaves out earlier trainings (faint), lists a series drawn in two panels once, and keeps gaps apart from missing values", () => {
    const tables = dataTables({
      kerasEpochs: false,
      panels: [
        {
          metric: "loss",
          title: "Loss",
          axis: "step",
          series: [
            { name: "loss", color: "#000", x: [0, 10], y: [1, null] },
            { name: "loss (training 1)", color: "#000", faint: true, x0: 0, dx: 5, y: [3, 2, 1] },
          ],
        },
        { metric: "loss", title: "Loss again", axis: "step", series: [{ name: "loss", color: "#000", x: [0], y: [9] }] },
        { metric: "acc", title: "Accuracy", axis: "step", series: [{ name: "acc", color: "#000", x0: 5, dx: 5, y: [0.5, 0.6] }] },
      ],
    });
    expect(tables).toEqual([
      {
        axis: "step",
        columns: ["loss", "acc"],
        rows: [
          [0, [1, undefined]],
          [5, [undefined, 0.5]],
          [10, [null, 0.6]],
        ],
        reduced: false,
      },
    ]);
  });
});
