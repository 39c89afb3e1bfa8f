import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/core/diagnostics.ts";
import type { Series, Split } from "../../src/core/history.ts";
import { formatStopTable, stopTable, type StopRow } from "../../src/core/stopTable.ts";

function series(name: string, metric: string, split: Split, y: (number | null)[], extra: Partial<Series> = {}): Series {
  return { name, metric, split, axis: "epoch", role: "metric", attempt: 0, x: y.map((_, i) => i), y, ...extra };
}

const loss = [1, 0.9, 0.8, 0.85, 0.81, 0.82, 0.7];
const history: Series[] = [
  series("val_sdice", "sdice", "validation", [0.5, 0.6, 0.59, 0.61]),
  series("sdice", "sdice", "train", [0.5, 0.6, 0.7, 0.8]),
  series("val_loss", "loss", "validation", loss),
  series("loss", "loss", "train", loss),
  series("val_vsat_fraction", "vsat_fraction", "validation", [1, 2]),
  series("vsat_fraction", "vsat_fraction", "train", [1, 2]),
  series("lr", "lr", "train", [0.1, 0.01], { role: "schedule" }),
  series("test_loss", "loss", "test", [1, 2]),
  series("loss_step", "loss_step", "train", [1, 2], { axis: "step" }),
];
const directions = { sdice: { direction: "max" as const } };
const file = "runs/a/b.csv";

describe("stopTable", () => {
  it("stopTable(series, {}) makes one row per series and patience, arranged by metric, split, patience", () => {
    const { rows } = stopTable(history, { directions, file });
    expect(rows.map((r) => [r.series, r.patience])).toEqual([
      ["loss", 0],
      ["loss", 3],
      ["loss", 10],
      ["val_loss", 0],
      ["val_loss", 3],
      ["val_loss", 10],
      ["sdice", 0],
      ["sdice", 3],
      ["sdice", 10],
      ["val_sdice", 0],
      ["val_sdice", 3],
      ["val_sdice", 10],
    ]);
    expect(rows[1]).toEqual({
      series: "loss",
      metric: "loss",
      split: "train",
      attempt: 0,
      mode: "min",
      minDelta: 0.005,
      patience: 3,
      semantics: "keras3",
      stoppedEpoch: 5,
      bestEpoch: 2,
      bestValue: 0.8,
      valueAtStop: 0.82,
      finalEpoch: 6,
      finalValue: 0.7,
      epochsRun: 6,
      epochsSaved: 1,
      gapToOverallBest: 0.10000000000000009,
    });
    expect(rows[9]).toMatchObject({ series: "val_sdice", mode: "max", patience: 0, stoppedEpoch: 2, bestEpoch: 1 });
  });

  it("stopTable(series, {patience, minDelta, semantics}) passes the settings on", () => {
    const { rows } = stopTable(history, { directions, file, patience: [2], minDelta: 0.5, semantics: "tf2" });
    expect(rows.map((r) => [r.series, r.patience, r.minDelta, r.semantics, r.stoppedEpoch])).toEqual([
      ["loss", 2, 0.5, "tf2", 2],
      ["val_loss", 2, 0.5, "tf2", 2],
      ["sdice", 2, 0.5, "tf2", 2],
      ["val_sdice", 2, 0.5, "tf2", 2],
    ]);
  });

  it("stopTable(series, {}) orders attempts within a split", () => {
    const attempts = [series("loss", "loss", "train", [1, 2], { attempt: 1 }), series("loss", "loss", "train", [1, 2])];
    const { rows } = stopTable(attempts, { directions: {}, file, patience: [0] });
    expect(rows.map((r) => r.attempt)).toEqual([0, 1]);
  });

  it("warns once per metric whose direction is unknown, and leaves it out", () => {
    const { rows, diagnostics } = stopTable(history, { directions, file });
    expect(rows.some((r) => r.metric === "vsat_fraction")).toBe(false);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file, line: 0, column: "vsat_fraction", fatal: false, ruleId: "unknown-direction" });
    expect(formatDiagnostic(diagnostics[0]!)).toMatchInlineSnapshot(
      `"runs/a/b.csv: warning: column "vsat_fraction": the direction of metric "vsat_fraction" is unknown, so it is left out of the early-stopping analysis; to silence this, add it to content/labels/metrics.yml with direction min or max (expected a metric whose name says which way is better (loss, error, accuracy, dice, …), got "vsat_fraction")"`,
    );
  });

  it("stopTable(series, {directions}) does not warn once the table gives the direction", () => {
    const { rows, diagnostics } = stopTable(history, { directions: { ...directions, vsat_fraction: { direction: "max" } }, file, patience: [0] });
    expect(diagnostics).toEqual([]);
    expect(rows.map((r) => r.series)).toEqual(["loss", "val_loss", "sdice", "val_sdice", "vsat_fraction", "val_vsat_fraction"]);
  });

  it("stopTable([], {}) is empty", () => {
    expect(stopTable([], { directions: {}, file })).toEqual({ rows: [], diagnostics: [] });
  });
});

describe("formatStopTable", () => {
  const rows: StopRow[] = stopTable(
    [
      series("val_loss", "loss", "validation", [0.3, 0.2, 0.21, 0.22]),
      series("train_100%_a&b#c", "100%_a&b#c", "train", [NaN, 0.123456789]),
    ],
    { directions: { "100%_a&b#c": { direction: "max" } }, file, patience: [1, 5] },
  ).rows;

  it("formatStopTable(rows, \"csv\") writes full precision and never for no stop", () => {
    expect(formatStopTable(rows, "csv")).toMatchInlineSnapshot(`
      "series,metric,split,mode,min_delta,patience,stopped_epoch,best_epoch,best_value,value_at_stop,final_value,epochs_run,epochs_saved,gap_to_overall_best
      train_100%_a&b#c,100%_a&b#c,train,max,0.005,1,never,1,0.123456789,,0.123456789,2,0,0
      train_100%_a&b#c,100%_a&b#c,train,max,0.005,5,never,1,0.123456789,,0.123456789,2,0,0
      val_loss,loss,validation,min,0.005,1,2,1,0.2,0.21,0.22,3,1,0
      val_loss,loss,validation,min,0.005,5,never,1,0.2,,0.22,4,0,0
      "
    `);
  });

  it("formatStopTable(rows, \"markdown\") writes a GitHub table", () => {
    expect(formatStopTable(rows, "markdown")).toMatchInlineSnapshot(`
      "| Series | Metric | Split | Mode | Min delta | Patience | Stopped | Best epoch | Best | At stop | Final | Run | Saved | Gap to best |
      | :--- | :--- | :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
      | train_100%_a&b#c | 100%_a&b#c | train | max | 0.005 | 1 | never | 1 | 0.1235 |  | 0.1235 | 2 | 0 | 0 |
      | train_100%_a&b#c | 100%_a&b#c | train | max | 0.005 | 5 | never | 1 | 0.1235 |  | 0.1235 | 2 | 0 | 0 |
      | val_loss | loss | validation | min | 0.005 | 1 | 2 | 1 | 0.2 | 0.21 | 0.22 | 3 | 1 | 0 |
      | val_loss | loss | validation | min | 0.005 | 5 | never | 1 | 0.2 |  | 0.22 | 4 | 0 | 0 |
      "
    `);
  });

  it("formatStopTable(rows, \"latex\") writes booktabs rules and escapes _ % & #", () => {
    expect(formatStopTable(rows, "latex")).toMatchInlineSnapshot(`
      "\\begin{tabular}{llllrrrrrrrrrr}
      \\toprule
      Series & Metric & Split & Mode & Min delta & Patience & Stopped & Best epoch & Best & At stop & Final & Run & Saved & Gap to best \\\\
      \\midrule
      train\\_100\\%\\_a\\&b\\#c & 100\\%\\_a\\&b\\#c & train & max & 0.005 & 1 & never & 1 & 0.1235 &  & 0.1235 & 2 & 0 & 0 \\\\
      train\\_100\\%\\_a\\&b\\#c & 100\\%\\_a\\&b\\#c & train & max & 0.005 & 5 & never & 1 & 0.1235 &  & 0.1235 & 2 & 0 & 0 \\\\
      val\\_loss & loss & validation & min & 0.005 & 1 & 2 & 1 & 0.2 & 0.21 & 0.22 & 3 & 1 & 0 \\\\
      val\\_loss & loss & validation & min & 0.005 & 5 & never & 1 & 0.2 &  & 0.22 & 4 & 0 & 0 \\\\
      \\bottomrule
      \\end{tabular}
      "
    `);
  });

  it("formatStopTable(rows, format) shows the attempt column only for several attempts", () => {
    const two = stopTable([series("loss", "loss", "train", [1]), series("loss", "loss", "train", [1], { attempt: 1 })], {
      directions: {},
      file,
      patience: [0],
    }).rows;
    expect(formatStopTable(two, "csv").split("\n")[0]).toContain(",attempt,");
    expect(formatStopTable(rows, "csv").split("\n")[0]).not.toContain("attempt");
  });

  it("formatStopTable(rows, \"csv\") quotes commas and spells non-finite values as CSVLogger does", () => {
    const odd = stopTable([series("loss,a", "loss", "train", [NaN, -Infinity])], {
      directions: {},
      file,
      patience: [0],
      semantics: "tf2",
    }).rows;
    expect(formatStopTable(odd, "csv").split("\n")[1]).toBe('"loss,a",loss,train,min,0.005,0,0,,,nan,-inf,1,1,');
  });

  it("formatStopTable(rows, format) rejects an unknown format", () => {
    expect(() => formatStopTable(rows, "html" as "csv")).toThrowErrorMatchingInlineSnapshot(`[Error: invalid format: html (expected "csv", "markdown" or "latex")]`);
  });
});
