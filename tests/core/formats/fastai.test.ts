import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFastai } from "../../../src/core/formats/fastai.ts";
import { corpusText, seriesOf } from "./fixtures.ts";

const read = (name: string) => parseFastai(corpusText(`fastai_history/${name}`), `fastai_history/${name}`);

describe("parseFastai on the corpus", () => {
  it("parseFastai(text) reads an early v1 history with epochs from 1 and metrics on validation (fastai_repo_rossmann_v1)", () => {
    const { history, diagnostics } = read("fastai_repo_rossmann_v1.csv");
    expect(diagnostics).toEqual([]);
    expect(history?.series.map((s) => [s.name, s.split, s.metric])).toEqual([
      ["train_loss", "train", "loss"],
      ["valid_loss", "validation", "loss"],
      ["exp_rmspe", "validation", "exp_rmspe"],
    ]);
    expect(seriesOf(history, "train_loss")).toMatchObject({ x: [1, 2, 3], y: [1.137222, 1.136633, 1.133599] });
    expect(seriesOf(history, "exp_rmspe").y.at(-1)).toBe(1.171317);
  });

  it("parseFastai(text) reads mm:ss time as seconds and a short row with a warning (moodsic_nan_time)", () => {
    const { history, diagnostics } = read("moodsic_nan_time.csv");
    expect(history?.series.length).toBe(9);
    expect(seriesOf(history, "time")).toMatchObject({ role: "other", x: [0], y: [431] });
    expect(seriesOf(history, "valid_loss").y).toEqual([NaN]);
    expect(seriesOf(history, "train_loss").y).toEqual([0.3236350119113922]);
    expect(seriesOf(history, "mae_fe").y).toEqual([null]);
    expect(diagnostics).toMatchObject([{ line: 2, fatal: false, ruleId: "ragged-row", expected: "10 fields", actual: "9" }]);
  });

  it("parseFastai(text) starts an attempt at each repeated header and reads #na# as missing (retinopathy_repeated_header_na)", () => {
    const { history, diagnostics } = read("retinopathy_repeated_header_na.csv");
    expect(history?.attempts.map((a) => [a.line, a.firstEpoch, a.lastEpoch, a.rows])).toEqual([
      [2, 0, 0, 1],
      [4, 0, 0, 1],
      [6, 0, 0, 1],
      [8, 0, 15, 16],
    ]);
    expect(seriesOf(history, "train_loss", 0).y).toEqual([4.999118]);
    expect(seriesOf(history, "valid_loss", 0).y).toEqual([null]);
    expect(seriesOf(history, "accuracy", 1).y).toEqual([0.841378]);
    const valid = seriesOf(history, "valid_loss", 3);
    expect(valid.x.length).toBe(16);
    expect([valid.y[0], valid.y[4], valid.y.at(-1)]).toEqual([0.452819, 646.604004, 51.292843]);
    expect(diagnostics.map((d) => [d.line, d.ruleId])).toEqual([
      [2, "ragged-row"],
      [6, "ragged-row"],
    ]);
  });
});

describe("parseFastai on small inputs", () => {
  it("parseFastai(text) reads #na# as missing", () => {
    const { history } = parseFastai("epoch,train_loss,valid_loss,accuracy,time\n0,0.5,#na#,#na#,00:03\n", "h.csv");
    expect(seriesOf(history, "valid_loss").y).toEqual([null]);
    expect(seriesOf(history, "accuracy").y).toEqual([null]);
    expect(seriesOf(history, "time").y).toEqual([3]);
  });

  it("parseFastai(text) reads h:mm:ss time as seconds", () => {
    const { history } = parseFastai("epoch,train_loss,valid_loss,time\n0,0.5,0.6,1:02:03\n", "h.csv");
    expect(seriesOf(history, "time").y).toEqual([3723]);
  });

  it("parseFastai(text) reports a time that is not a duration", () => {
    const { history, diagnostics } = parseFastai("epoch,train_loss,valid_loss,time\n0,0.5,0.6,soon\n", "h.csv");
    expect(seriesOf(history, "time").y).toEqual([null]);
    expect(diagnostics).toMatchObject([{ line: 2, column: "time", ruleId: "not-a-number" }]);
  });

  it("parseFastai(text) is fatal without an epoch column (other/simpletransformers_progress)", () => {
    const { history, diagnostics } = parseFastai(corpusText("other/simpletransformers_progress.csv"), "p.csv");
    expect(history).toBeNull();
    expect(diagnostics).toMatchObject([{ line: 1, fatal: true, ruleId: "no-epoch-column" }]);
  });

  it("parseFastai(text) is fatal on a header without rows", () => {
    expect(parseFastai("epoch,train_loss\n", "h.csv").diagnostics).toMatchObject([{ fatal: true, ruleId: "no-rows" }]);
  });

  it("parseFastai(text) never throws on arbitrary text", () => {
    const text = fc.oneof(
      fc.string(),
      fc.array(fc.constantFrom("epoch", "train_loss", "time", ",", "\n", "1", "#na#", "07:11", ":", '"'), { maxLength: 40 }).map((a) => a.join("")),
    );
    fc.assert(
      fc.property(text, (t) => {
        parseFastai(t, "h.csv");
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
