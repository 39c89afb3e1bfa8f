import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLightning } from "../../../src/core/formats/lightning.ts";
import { corpusText, seriesOf } from "./fixtures.ts";

const read = (name: string) => parseLightning(corpusText(`lightning_metrics/${name}`), `lightning_metrics/${name}`);
const names = (h: ReturnType<typeof read>["history"]) => h?.series.map((s) => s.name);

describe("parseLightning on the corpus", () => {
  it("parseLightning(text) keeps step-logged train_loss on axis step and the test row as a test split (cvimg_test_row)", () => {
    const { history, diagnostics } = read("cvimg_test_row.csv");
    expect(diagnostics).toEqual([]);
    expect(history?.format).toBe("lightning");
    expect(history?.columns).toEqual(["epoch", "step", "test_loss", "train_loss", "val_accuracy", "val_loss"]);
    expect(names(history)).toEqual(["test_loss", "train_loss", "val_accuracy", "val_loss"]);
    const train = seriesOf(history, "train_loss");
    expect(train).toMatchObject({ split: "train", metric: "loss", axis: "step", role: "metric" });
    expect(train.x.length).toBe(171);
    expect([train.x[0], train.y[0]]).toEqual([49, 0.634955883026123]);
    expect([train.x.at(-1), train.y.at(-1)]).toEqual([8549, 0.021989192813634872]);
    const val = seriesOf(history, "val_loss");
    expect(val).toMatchObject({ split: "validation", metric: "loss", axis: "epoch", x: [0, 1, 2, 3, 4, 5] });
    expect(val.y.at(-1)).toBe(0.01422041654586792);
    expect(seriesOf(history, "test_loss")).toMatchObject({ split: "test", metric: "loss", axis: "epoch", x: [5], y: [0.0322248712182045] });
    expect(history?.attempts).toEqual([{ index: 0, line: 2, firstEpoch: 0, lastEpoch: 5, rows: 178 }]);
  });

  it("parseLightning(text) strips _step/_epoch suffixes from metric but not from name (mnist_step_epoch_suffix)", () => {
    const { history, diagnostics } = read("mnist_step_epoch_suffix.csv");
    expect(diagnostics).toEqual([]);
    expect(names(history)).toEqual(["acc_epoch", "acc_step", "avg_test_acc", "avg_test_loss", "test_acc", "test_loss", "train_loss_epoch", "train_loss_step"]);
    expect(seriesOf(history, "acc_epoch")).toMatchObject({ metric: "acc", split: "train", axis: "epoch", x: [0, 1, 2, 3, 4] });
    expect(seriesOf(history, "acc_epoch").y.at(-1)).toBe(0.9691666960716248);
    const accStep = seriesOf(history, "acc_step");
    expect(accStep).toMatchObject({ metric: "acc", axis: "step" });
    expect(accStep.x.length).toBe(75);
    expect([accStep.y[0], accStep.y.at(-1)]).toEqual([0.734375, 1]);
    expect(seriesOf(history, "train_loss_step")).toMatchObject({ metric: "loss", split: "train", axis: "step" });
    expect(seriesOf(history, "train_loss_step").y[0]).toBe(1.0826207399368286);
    expect(seriesOf(history, "avg_test_acc")).toMatchObject({ metric: "avg_acc", split: "test", x: [5], y: [0.9636666774749756] });
    expect(seriesOf(history, "test_loss")).toMatchObject({ metric: "loss", split: "test", x: [5], y: [0.12099038809537888] });
  });

  it("parseLightning(text) reads lr-Adam rows with an empty epoch as a step schedule (camels_lr_adam)", () => {
    const { history, diagnostics } = read("camels_lr_adam.csv");
    expect(diagnostics).toEqual([]);
    expect(names(history)).toEqual(["lr-Adam", "train_loss", "train_mse", "val_loss", "val_mse"]);
    const lr = seriesOf(history, "lr-Adam");
    expect(lr).toMatchObject({ role: "schedule", axis: "step", split: "train" });
    expect(lr.x.length).toBe(50);
    expect(lr.x.slice(0, 2)).toEqual([0, 266]);
    expect(lr.y[0]).toBe(0.00015930522616241006);
    expect(seriesOf(history, "train_loss")).toMatchObject({ axis: "step" });
    expect(seriesOf(history, "train_loss").x.length).toBe(266);
    expect(seriesOf(history, "train_loss").y[0]).toBe(12.420103073120117);
    const val = seriesOf(history, "val_mse");
    expect(val).toMatchObject({ split: "validation", metric: "mse", axis: "epoch" });
    expect(val.x).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([val.y[0], val.y.at(-1)]).toEqual([1.592056155204773, 0.6460332274436951]);
    expect(history?.attempts[0]).toMatchObject({ firstEpoch: 0, lastEpoch: 49, rows: 366 });
  });

  it("parseLightning(text) reads an unsorted header with epoch in the 3rd column (bachelor_unsorted_header)", () => {
    const { history, diagnostics } = read("bachelor_unsorted_header.csv");
    expect(diagnostics).toEqual([]);
    expect(history?.columns).toEqual(["step", "train_loss_step", "epoch", "train_acc_step", "train_loss", "train_acc_step_epoch", "train_loss_epoch", "test_loss", "test_acc"]);
    expect(seriesOf(history, "train_loss_step").x.length).toBe(50);
    expect(seriesOf(history, "train_loss_step").y[0]).toBe(2.0972044467926025);
    expect(seriesOf(history, "train_loss")).toMatchObject({ axis: "epoch", metric: "loss" });
    expect(seriesOf(history, "train_loss").x.length).toBe(11);
    expect(seriesOf(history, "train_loss_epoch").y.slice(0, 1)).toEqual([1.1849572658538818]);
    expect(seriesOf(history, "train_acc_step_epoch")).toMatchObject({ metric: "acc_step", axis: "epoch", y: Array(10).fill(0) });
    expect(seriesOf(history, "test_acc")).toMatchObject({ split: "test", x: [10], y: [0.9822999835014343] });
  });

  it("parseLightning(text) keeps sparse train rows at their epochs (dental_sparse_small)", () => {
    const { history, diagnostics } = read("dental_sparse_small.csv");
    expect(diagnostics).toEqual([]);
    expect(seriesOf(history, "train_loss")).toMatchObject({ axis: "epoch", x: [1, 3], y: [0.8596552610397339, 0.8156446814537048] });
    expect(seriesOf(history, "val_loss")).toMatchObject({ axis: "epoch", x: [0, 1, 2, 3, 4] });
    expect(seriesOf(history, "val_acc").y).toEqual([0.5550000071525574, 0.5550000071525574, 0.5600000023841858, 0.5600000023841858, 0.5550000071525574]);
  });
});

describe("parseLightning on small inputs", () => {
  it("parseLightning(text) reads nan and inf cells as non-finite values", () => {
    const { history } = parseLightning("epoch,step,val_loss\n0,9,nan\n1,19,inf\n2,29,0.5\n", "m.csv");
    expect(seriesOf(history, "val_loss").y).toEqual([NaN, Infinity, 0.5]);
  });

  it("parseLightning(text) reports a cell that is not a number and leaves it out", () => {
    const { history, diagnostics } = parseLightning("epoch,step,val_loss\n0,9,oops\n1,19,0.5\n", "m.csv");
    expect(seriesOf(history, "val_loss")).toMatchObject({ x: [1], y: [0.5] });
    expect(diagnostics).toMatchObject([{ line: 2, column: "val_loss", fatal: false, ruleId: "not-a-number" }]);
  });

  it("parseLightning(text) reads val/ and valid_ prefixes as validation", () => {
    const { history } = parseLightning("epoch,step,val/acc,valid_loss\n0,9,0.5,0.25\n", "m.csv");
    expect(history?.series.map((s) => [s.split, s.metric])).toEqual([
      ["validation", "acc"],
      ["validation", "loss"],
    ]);
  });

  it("parseLightning(text) is fatal without step and epoch columns", () => {
    const { history, diagnostics } = parseLightning("global_step,eval_loss\n1,2\n", "m.csv");
    expect(history).toBeNull();
    expect(diagnostics).toMatchObject([{ line: 1, fatal: true, ruleId: "no-step-epoch-columns" }]);
  });

  it("parseLightning(text) is fatal on an empty file", () => {
    expect(parseLightning("", "m.csv").diagnostics).toMatchObject([{ fatal: true, ruleId: "empty-file" }]);
  });

  it("parseLightning(text) never throws on arbitrary text", () => {
    const text = fc.oneof(
      fc.string(),
      fc.array(fc.constantFrom("epoch", "step", ",", "\n", "\r", "1", "nan", "", "lr-Adam", '"', "x"), { maxLength: 40 }).map((a) => a.join("")),
    );
    fc.assert(
      fc.property(text, (t) => {
        parseLightning(t, "x.csv");
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
