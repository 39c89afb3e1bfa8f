import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../../src/core/diagnostics.ts";
import { parseKerasHistory, parseKerasHistoryCsv } from "../../../src/core/formats/kerasHistory.ts";
import { parseHistory } from "../../../src/core/load.ts";

const series = (text: string) => parseKerasHistory(text, "h.json").history!.series.map((s) => [s.name, s.split, s.x, s.y]);

describe("parseKerasHistory", () => {
  it("parseKerasHistory(json.dump(history.history)) reads epoch = list index, val_ as validation, bare NaN", () => {
    expect(series('{"loss": [0.9, NaN], "val_loss": [1.0, 0.7]}')).toEqual([
      ["loss", "train", [0, 1], [0.9, NaN]],
      ["val_loss", "validation", [0, 1], [1.0, 0.7]],
    ]);
  });
  it("parseKerasHistory(a hand-written dump with an epochs list) uses the listed epochs", () => {
    expect(series('{"epochs": [1, 2, 3], "acc": [0.5, 0.6, 0.7]}')).toEqual([["acc", "train", [1, 2, 3], [0.5, 0.6, 0.7]]]);
  });
  it("parseKerasHistory({config, history}) reads the history and keeps the config's scalars as hyperparameters", () => {
    const { history } = parseKerasHistory('{"config": {"optimizer": {"lr": 0.01}, "batch": 32}, "history": {"loss": [1, 0.5]}}', "h.json");
    expect(history!.series.map((s) => s.name)).toEqual(["loss"]);
    expect(history!.hyperparameters).toEqual([{ source: "h.json", values: { "config.optimizer.lr": 0.01, "config.batch": 32 } }]);
  });
  it("parseKerasHistory(lists of different lengths) reads each as long as it is, with one warning", () => {
    const { history, diagnostics } = parseKerasHistory('{"reg_loss": [1, 2, 3], "cls_loss": [1]}', "h.json");
    expect(history!.series.map((s) => s.x.length)).toEqual([3, 1]);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "h.json:1: warning: lists have different lengths; each is read as long as it is (expected one value per epoch in every list, got 3, 1)",
    ]);
  });
});

describe("parseKerasHistoryCsv", () => {
  it("parseKerasHistoryCsv(to_csv with an unnamed index) reads the index as the epoch", () => {
    const { history } = parseKerasHistoryCsv(",loss,val_loss\n0,0.9,1.0\n1,0.5,0.7\n", "h.csv");
    expect(history!.series.map((s) => [s.name, s.x, s.y])).toEqual([
      ["loss", [0, 1], [0.9, 0.5]],
      ["val_loss", [0, 1], [1.0, 0.7]],
    ]);
  });
  it("parseKerasHistoryCsv(to_csv(index=False), CRLF) counts rows as epochs and reports a ragged row with its line", () => {
    const { history, diagnostics } = parseKerasHistoryCsv("loss,val_loss\r\n0.9,1.0\r\n0.5\r\n0.4,0.6\r\n", "h.csv");
    expect(history!.series[0]!.x).toEqual([0, 1]);
    expect(diagnostics.map(formatDiagnostic)).toEqual(["h.csv:3: warning: row has a different number of fields than the header; left out (expected 2 fields, got 1)"]);
  });
});

describe("Keras history detection", () => {
  it("parseHistory(a pickled history) is not read: binary data, never unpickled", () => {
    // The first bytes of pickle.dump(history.history, f) with protocol 4.
    const pickle = new Uint8Array([0x80, 0x04, 0x95, 0x2a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7d, 0x94, 0x8c, 0x04, 0x6c, 0x6f, 0x73, 0x73, 0x94, 0x5d, 0x94]);
    const { history, diagnostics, format } = parseHistory(pickle, "history.pkl");
    expect([history, format]).toEqual([null, null]);
    expect(diagnostics).toMatchObject([{ fatal: true, ruleId: "unknown-format", actual: "binary data" }]);
  });
  it("parseHistory(a JSON history whose values are not numbers) names the Keras format and why", () => {
    const { diagnostics } = parseHistory(new TextEncoder().encode('{"loss": "low"}'), "run/history.json");
    expect(diagnostics[0]!.reason).toBe("looks like a Keras history.history dump (JSON, or pandas to_csv of it), but its values are not lists of numbers");
  });
});
