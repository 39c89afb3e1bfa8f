import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHuggingFace } from "../../../src/core/formats/huggingface.ts";
import { corpusText, seriesOf } from "./fixtures.ts";

const read = (name: string) => parseHuggingFace(corpusText(`hf_trainer_state/${name}`), `hf_trainer_state/${name}`);

describe("parseHuggingFace on the corpus", () => {
  it("parseHuggingFace(text) puts train and eval entries on axis step (lora_imdb_small)", () => {
    const { history, diagnostics } = read("lora_imdb_small.json");
    expect(diagnostics).toEqual([]);
    expect(history?.format).toBe("huggingface");
    expect(history?.series.map((s) => s.name)).toEqual([
      "epoch",
      "grad_norm",
      "learning_rate",
      "loss",
      "eval_loss",
      "eval_runtime",
      "eval_samples_per_second",
      "eval_steps_per_second",
    ]);
    const loss = seriesOf(history, "loss");
    expect(loss).toMatchObject({ split: "train", metric: "loss", axis: "step", role: "metric" });
    expect(loss.x.length).toBe(18);
    expect([loss.x[0], loss.y[0], loss.x.at(-1), loss.y.at(-1)]).toEqual([20, 0.6899, 360, 0.349]);
    expect(seriesOf(history, "learning_rate")).toMatchObject({ role: "schedule", split: "train" });
    expect(seriesOf(history, "eval_loss")).toMatchObject({ split: "validation", metric: "loss", axis: "step", x: [125, 250, 375] });
    expect(seriesOf(history, "eval_loss").y.at(-1)).toBe(0.3891691565513611);
    expect(seriesOf(history, "eval_runtime")).toMatchObject({ role: "other", split: "validation" });
    const epoch = seriesOf(history, "epoch");
    expect(epoch).toMatchObject({ role: "other", axis: "step" });
    expect(epoch.x.length).toBe(21);
    expect(epoch.y[epoch.x.indexOf(125)]).toBe(1);
    expect(epoch.y[epoch.x.indexOf(340)]).toBe(2.7199999999999998);
    expect(history?.attempts).toEqual([{ index: 0, line: 12, firstEpoch: 0.16, lastEpoch: 3, rows: 21 }]);
  });

  it("parseHuggingFace(text) reads eval metrics of a mid-run checkpoint without grad_norm (mt5_midrun_rouge)", () => {
    const { history, diagnostics } = read("mt5_midrun_rouge.json");
    expect(diagnostics).toEqual([]);
    expect(history?.series.map((s) => s.name)).toEqual([
      "epoch",
      "learning_rate",
      "loss",
      "eval_loss",
      "eval_rouge1",
      "eval_rouge2",
      "eval_rougeL",
      "eval_rougeLsum",
      "eval_runtime",
      "eval_samples_per_second",
      "eval_steps_per_second",
    ]);
    const loss = seriesOf(history, "loss");
    expect(loss.x.length).toBe(700);
    expect([loss.y[0], loss.y.at(-1)]).toEqual([25.5062, 2.2437]);
    const rouge = seriesOf(history, "eval_rouge1");
    expect(rouge).toMatchObject({ split: "validation", metric: "rouge1" });
    expect(rouge.x.length).toBe(70);
    expect([rouge.x[0], rouge.x.at(-1), rouge.y.at(-1)]).toEqual([100, 7000, 0.3435348659067965]);
    expect(history?.attempts[0]).toMatchObject({ firstEpoch: 0, lastEpoch: 2.23, rows: 770 });
  });

  it("parseHuggingFace(text) reads eval_f1_macro once per epoch (sentiment_eval_f1)", () => {
    const { history, diagnostics } = read("sentiment_eval_f1.json");
    expect(diagnostics).toEqual([]);
    const f1 = seriesOf(history, "eval_f1_macro");
    expect(f1).toMatchObject({ split: "validation", metric: "f1_macro", x: [815, 1630, 2445] });
    expect(f1.y.at(-1)).toBe(0.6534430847919005);
    expect(seriesOf(history, "loss").x.length).toBe(48);
    expect(seriesOf(history, "loss").y[0]).toBe(0.9918614959716797);
    expect(seriesOf(history, "grad_norm").y.at(-1)).toBe(0.36625564098358154);
  });

  it("parseHuggingFace(text) keeps the final summary entry out of the loss curve (t5sum_no_eval)", () => {
    const { history, diagnostics } = read("t5sum_no_eval.json");
    expect(diagnostics).toEqual([]);
    expect(history?.series.some((s) => s.split === "validation")).toBe(false);
    const loss = seriesOf(history, "loss");
    expect(loss.x.length).toBe(430);
    expect([loss.x.at(-1), loss.y.at(-1)]).toEqual([215000, 1.7423]);
    expect(history?.series.filter((s) => s.metric === "loss").map((s) => s.name)).toEqual(["loss"]);
    expect(seriesOf(history, "train_loss")).toMatchObject({ role: "other", metric: "train_loss", x: [215337], y: [1.8040490566820844] });
    expect(seriesOf(history, "train_runtime")).toMatchObject({ role: "other", y: [54713.1806] });
  });
});

describe("parseHuggingFace on small inputs", () => {
  it("parseHuggingFace(text) reads Python's bare NaN and Infinity tokens", () => {
    const text =
      '{"log_history": [{"epoch": 0.5, "loss": NaN, "step": 1}, {"epoch": 1, "loss": Infinity, "step": 2}, {"epoch": 1, "eval_loss": -Infinity, "note": "NaN here", "step": 2}]}';
    const { history } = parseHuggingFace(text, "t.json");
    expect(seriesOf(history, "loss").y).toEqual([NaN, Infinity]);
    expect(seriesOf(history, "eval_loss").y).toEqual([-Infinity]);
  });

  it("parseHuggingFace(text) reads test_ keys as the test split", () => {
    const { history } = parseHuggingFace('{"log_history": [{"test_accuracy": 0.9, "step": 10}]}', "t.json");
    expect(seriesOf(history, "test_accuracy")).toMatchObject({ split: "test", metric: "accuracy" });
  });

  it("parseHuggingFace(text) reports malformed JSON as fatal at the line of the syntax error", () => {
    const { history, diagnostics } = parseHuggingFace('{\n  "log_history": [\n    {"loss": 1, "step": 1},\n  ]\n}\n', "t.json");
    expect(history).toBeNull();
    expect(diagnostics).toMatchObject([{ line: 4, fatal: true, ruleId: "json-syntax", reason: "file is not valid JSON: unexpected token ']'" }]);
  });

  it("parseHuggingFace(text) reports JSON without log_history", () => {
    expect(parseHuggingFace("[1, 2]", "t.json").diagnostics).toMatchObject([{ fatal: true, ruleId: "no-log-history", actual: "a list" }]);
  });

  it("parseHuggingFace(text) names JSON Lines as such (other/detectron2_metrics_jsonl)", () => {
    const { history, diagnostics } = parseHuggingFace(corpusText("other/detectron2_metrics_jsonl.json"), "metrics.json");
    expect(history).toBeNull();
    expect(diagnostics).toMatchObject([{ line: 2, fatal: true, ruleId: "json-syntax" }]);
    expect(diagnostics[0]?.reason).toContain("JSON Lines");
  });

  it("parseHuggingFace(text) leaves out entries without a step, with a warning", () => {
    const { history, diagnostics } = parseHuggingFace('{"log_history": [{"loss": 1}, {"loss": 2, "step": 5}]}', "t.json");
    expect(seriesOf(history, "loss")).toMatchObject({ x: [5], y: [2] });
    expect(diagnostics).toMatchObject([{ fatal: false, ruleId: "bad-step" }]);
  });

  it("parseHuggingFace(text) never throws on arbitrary text", () => {
    const json = fc.json().map((j) => `{"log_history": [${j}, ${j}]}`);
    fc.assert(
      fc.property(fc.oneof(fc.string(), json, fc.json()), (t) => {
        parseHuggingFace(t, "t.json");
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
