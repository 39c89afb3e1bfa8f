import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/core/diagnostics.ts";
import type { Series, Split } from "../../src/core/history.ts";
import { earlyStopping, epochNumbering, isMonitored, kerasPrints, stopWords } from "../../src/core/earlyStopping.ts";
import { formatStopTable, ownCallbackNote, primaryMonitor, runEnd, stopTable, type StopRow } from "../../src/core/stopTable.ts";

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
    const { rows } = stopTable(history, { directions, file, minDelta: 0.005 });
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
      numbering: { offset: 1, source: "CSV row epoch" },
      mode: "min",
      minDelta: 0.005,
      patience: 3,
      semantics: "keras3",
      precision: "float32",
      stoppedEpoch: 5,
      bestEpoch: 2,
      bestValue: 0.8,
      restoredEpoch: 2,
      restoredValue: 0.8,
      valueAtStop: 0.82,
      finalEpoch: 6,
      finalValue: 0.7,
      valuesSeen: 6,
      epochsRun: 6,
      epochsSaved: 1,
      gapToOverallBest: 0.10000000000000009,
    });
    expect(rows[9]).toMatchObject({ series: "val_sdice", mode: "max", patience: 0, stoppedEpoch: 2, bestEpoch: 1 });
  });

  it("stopTable(series, {patience, minDelta, semantics, precision}) passes the settings on", () => {
    const { rows } = stopTable(history, { directions, file, patience: [2], minDelta: 0.5, semantics: "tf2", precision: "float32" });
    expect(rows.map((r) => [r.series, r.patience, r.minDelta, r.semantics, r.precision, r.stoppedEpoch])).toEqual([
      ["loss", 2, 0.5, "tf2", "float32", 2],
      ["val_loss", 2, 0.5, "tf2", "float32", 2],
      ["sdice", 2, 0.5, "tf2", "float32", 2],
      ["val_sdice", 2, 0.5, "tf2", "float32", 2],
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
  const rows: StopRow[] = stopTable([series("val_loss", "loss", "validation", [0.3, 0.2, 0.21, 0.22]), series("train_100%_a&b#c", "100%_a&b#c", "train", [NaN, 0.123456789])], {
    directions: { "100%_a&b#c": { direction: "max" } },
    file,
    patience: [1, 5],
    minDelta: 0.005,
  }).rows;

  it("formatStopTable(rows, \"csv\") writes full precision, Keras' 1-based epochs beside the CSV's 0-based ones, and keeps numeric columns numeric", () => {
    expect(formatStopTable(rows, "csv")).toMatchInlineSnapshot(`
      "series,metric,split,mode,min_delta,patience,status,stop_epoch,stop_epoch0,restored_epoch,restored_epoch0,restored_value,value_at_stop,final_value,epochs_run,epochs_saved,gap_to_overall_best,semantics,precision
      train_100%_a&b#c,100%_a&b#c,train,max,0.005,1,stops,2,1,1,0,nan,0.123456789,0.123456789,2,0,,keras3,float32
      train_100%_a&b#c,100%_a&b#c,train,max,0.005,5,never stops,,,1,0,nan,,0.123456789,2,0,,keras3,float32
      val_loss,loss,validation,min,0.005,1,stops,3,2,2,1,0.2,0.21,0.22,3,1,0,keras3,float32
      val_loss,loss,validation,min,0.005,5,never stops,,,2,1,0.2,,0.22,4,0,0,keras3,float32
      "
    `);
  });

  it('formatStopTable(rows, "markdown") writes a GitHub table', () => {
    expect(formatStopTable(rows, "markdown")).toMatchInlineSnapshot(`
      "| Series | Metric | Split | Mode | Min delta | Patience | Status | Stops after epoch | (CSV row epoch) | Restores epoch | (CSV row epoch) | Restored value | At stop | Final | Run | Saved | Gap to best | Rule | Precision |
      | :--- | :--- | :--- | :--- | ---: | ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :--- | :--- |
      | train_100%_a&b#c | 100%_a&b#c | train | max | 0.005 | 1 | stops | 2 | 1 | 1 | 0 | nan | 0.1235 | 0.1235 | 2 | 0 |  | keras3 | float32 |
      | train_100%_a&b#c | 100%_a&b#c | train | max | 0.005 | 5 | never stops |  |  | 1 | 0 | nan |  | 0.1235 | 2 | 0 |  | keras3 | float32 |
      | val_loss | loss | validation | min | 0.005 | 1 | stops | 3 | 2 | 2 | 1 | 0.2 | 0.21 | 0.22 | 3 | 1 | 0 | keras3 | float32 |
      | val_loss | loss | validation | min | 0.005 | 5 | never stops |  |  | 2 | 1 | 0.2 |  | 0.22 | 4 | 0 | 0 | keras3 | float32 |
      "
    `);
  });

  it('formatStopTable(rows, "latex") writes booktabs rules and escapes _ % & #', () => {
    expect(formatStopTable(rows, "latex")).toMatchInlineSnapshot(`
      "\\begin{tabular}{llllrrlrrrrrrrrrrll}
      \\toprule
      Series & Metric & Split & Mode & Min delta & Patience & Status & Stops after epoch & (CSV row epoch) & Restores epoch & (CSV row epoch) & Restored value & At stop & Final & Run & Saved & Gap to best & Rule & Precision \\\\
      \\midrule
      train\\_100\\%\\_a\\&b\\#c & 100\\%\\_a\\&b\\#c & train & max & 0.005 & 1 & stops & 2 & 1 & 1 & 0 & nan & 0.1235 & 0.1235 & 2 & 0 &  & keras3 & float32 \\\\
      train\\_100\\%\\_a\\&b\\#c & 100\\%\\_a\\&b\\#c & train & max & 0.005 & 5 & never stops &  &  & 1 & 0 & nan &  & 0.1235 & 2 & 0 &  & keras3 & float32 \\\\
      val\\_loss & loss & validation & min & 0.005 & 1 & stops & 3 & 2 & 2 & 1 & 0.2 & 0.21 & 0.22 & 3 & 1 & 0 & keras3 & float32 \\\\
      val\\_loss & loss & validation & min & 0.005 & 5 & never stops &  &  & 2 & 1 & 0.2 &  & 0.22 & 4 & 0 & 0 & keras3 & float32 \\\\
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

  it('formatStopTable(rows, "csv") quotes commas and spells non-finite values as CSVLogger does', () => {
    const odd = stopTable([series("loss,a", "loss", "train", [NaN, -Infinity])], {
      directions: {},
      file,
      patience: [0],
      minDelta: 0.005,
      semantics: "tf2",
    }).rows;
    expect(formatStopTable(odd, "csv").split("\n")[1]).toBe('"loss,a",loss,train,min,0.005,0,stops,1,0,,,,nan,-inf,1,1,,tf2,float64');
  });

  it("formatStopTable(rows, format) rejects an unknown format", () => {
    expect(() => formatStopTable(rows, "html" as "csv")).toThrowErrorMatchingInlineSnapshot(`[Error: invalid format: html (expected "csv", "markdown" or "latex")]`);
  });
});

describe("the words", () => {
  const agLike = { x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], y: [0.21876, 0.03, 0.0195, 0.01531, 0.01104, 0.00823, 0.00478, 0.00408, 0.00328, 0.00141] };

  it("stopWords(summary) says epochs as Keras prints them, with the CSV row's epoch beside", () => {
    const s = earlyStopping(agLike, { mode: "min", minDelta: 0.005, patience: 3 });
    expect(stopWords(s)).toBe("stops after epoch 10 (CSV row epoch 9), restores epoch 7 (CSV row epoch 6)");
    expect(kerasPrints(s)).toEqual(["Epoch 10: early stopping", "Restoring model weights from the end of the best epoch: 7."]);
    expect(kerasPrints({ ...s, semantics: "tf2" })).toEqual(["Restoring model weights from the end of the best epoch.", "Epoch 00010: early stopping"]);
    const never = earlyStopping(agLike, { mode: "min", patience: 3 });
    expect(stopWords(never)).toBe("does not stop within the file (last epoch 10 (CSV row epoch 9)), restores epoch 10 (CSV row epoch 9)");
    expect(stopWords(earlyStopping(agLike, { mode: "min", patience: 3, semantics: "tf2" }))).toMatch(/keeps the last weights/);
    expect(stopWords(earlyStopping({ x: [0], y: [null] }, { mode: "min" }))).toBe("no values to monitor");
  });

  it("epochNumbering(format) adds 1 to 0-based files only", () => {
    const s = earlyStopping({ x: [1, 2, 3], y: [0.5, 0.5, 0.5] }, { mode: "min", patience: 1 });
    expect(stopWords(s, epochNumbering("ultralytics"))).toBe("stops after epoch 2, restores epoch 1");
    expect(stopWords(s, epochNumbering("keras"))).toBe("stops after epoch 3 (CSV row epoch 2), restores epoch 2 (CSV row epoch 1)");
  });

  it("isMonitored(series, monitor) picks validation series by default, all, none, or names", () => {
    const val = { name: "val_loss", split: "validation" as const };
    const train = { name: "loss", split: "train" as const };
    expect([isMonitored(val), isMonitored(train)]).toEqual([true, false]);
    expect([isMonitored(val, "all"), isMonitored(train, "all")]).toEqual([true, true]);
    expect([isMonitored(val, "none"), isMonitored(train, "none")]).toEqual([false, false]);
    expect([isMonitored(val, "loss"), isMonitored(train, "loss")]).toEqual([false, true]);
    expect([isMonitored(val, ["val_loss", "x"]), isMonitored(train, ["val_loss"])]).toEqual([true, false]);
  });

  it("primaryMonitor(rows, monitor) prefers the named series, else Keras' default val_loss", () => {
    const { rows } = stopTable(history, { directions, file, patience: [3] });
    expect(primaryMonitor(rows)).toBe("val_loss");
    expect(primaryMonitor(rows, ["nope", "val_sdice"])).toBe("val_sdice");
    expect(primaryMonitor(rows, "none")).toBe(null);
    expect(primaryMonitor(rows.filter((r) => r.series !== "val_loss"))).toBe("val_sdice");
  });

  it("runEnd(…) says stopped early only when the configured stop explains the file's last row", () => {
    const valLoss = series("val_loss", "loss", "validation", agLike.y);
    const rows = stopTable([valLoss], { directions: {}, file, patience: [3], minDelta: 0.005 }).rows;
    expect(runEnd({ rows, patience: 3, epochsRun: 10, epochsPlanned: 40 })).toEqual({
      badge: "stopped early",
      text: null,
      reason: "EarlyStopping on val_loss (patience 3, min_delta 0.005) stops after epoch 10 (CSV row epoch 9), restores epoch 7 (CSV row epoch 6): the file's last row",
    });
    // Without min_delta nothing stops this run: it ended for another reason, or is still being written.
    const loose = stopTable([valLoss], { directions: {}, file, patience: [3] }).rows;
    expect(runEnd({ rows: loose, patience: 3, epochsRun: 10, epochsPlanned: 40 })).toEqual({ badge: null, text: "ended at epoch 10 of 40 planned", reason: null });
    // A stop before the last row does not explain where the file ends.
    const longer = stopTable([series("val_loss", "loss", "validation", [...agLike.y, 0.5])], { directions: {}, file, patience: [3], minDelta: 0.005 }).rows;
    expect(runEnd({ rows: longer, patience: 3, epochsRun: 11, epochsPlanned: 40 }).badge).toBe(null);
    expect(runEnd({ rows, patience: 3, epochsRun: 10, epochsPlanned: null })).toEqual({ badge: null, text: null, reason: null });
    expect(runEnd({ rows, patience: 3, epochsRun: 40, epochsPlanned: 40 })).toEqual({ badge: null, text: null, reason: null });
  });
});

describe("ownCallbackNote", () => {
  it("ownCallbackNote(format) names the Lightning and Hugging Face callbacks' differences, nothing for Keras", () => {
    expect(ownCallbackNote("lightning")).toMatch(/^PyTorch Lightning's own EarlyStopping differs: .*check_finite/);
    expect(ownCallbackNote("huggingface")).toMatch(/^Hugging Face's EarlyStoppingCallback differs: .*early_stopping_threshold/);
    expect(ownCallbackNote("keras")).toBe(null);
    expect(ownCallbackNote(null)).toBe(null);
  });
});
