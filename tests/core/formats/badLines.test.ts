import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../../src/core/diagnostics.ts";
import { parseJsonLines } from "../../../src/core/formats/jsonLines.ts";
import { parseLudwig } from "../../../src/core/formats/ludwig.ts";
import { parseMlflowMetric } from "../../../src/core/formats/mlflow.ts";
import { parseSimpleTransformers } from "../../../src/core/formats/simpletransformers.ts";
import { parseWandbExport } from "../../../src/core/formats/wandbExport.ts";
import { parseYoloTxt } from "../../../src/core/formats/yoloTxt.ts";

const messages = (d: Parameters<typeof formatDiagnostic>[0][]) => d.map(formatDiagnostic);
const yoloLine = (epoch: number) =>
  `     ${epoch}/9    0.333G      3.89      4.95      2.22      11.1        42       416    0.0479     0.336      0.09    0.0839      4.56      4.21     0.768`;

describe("bad lines are warnings with path:line", () => {
  it("parseJsonLines: a line that is not an object, and a cut last line", () => {
    const text = '{"iteration": 19, "total_loss": 2.5}\nnot json\n{"iteration": 39, "total_loss": 2.1}\n{"iteration": 59, "total_lo';
    const { history, diagnostics } = parseJsonLines(text, "output/metrics.json");
    expect(history!.series.find((s) => s.name === "total_loss")!.x).toEqual([19, 39]);
    expect(messages(diagnostics)).toEqual([
      'output/metrics.json:4: warning: last line is incomplete (the file may still be being written); left out (expected a JSON object, got "{\\"iteration\\": 59, \\"total_lo")',
      'output/metrics.json:2: warning: line is not a JSON object; left out (expected one JSON object per line, got "not json")',
    ]);
  });
  it("parseYoloTxt: a line of 14 fields in the middle, and a short last line", () => {
    const text = [yoloLine(0), yoloLine(1).replace(/ 0\.768$/, ""), yoloLine(2), yoloLine(3).slice(0, 40)].join("\n");
    const { history, diagnostics } = parseYoloTxt(text, "runs/train/exp/results.txt");
    expect(history!.series[0]!.x).toEqual([0, 2]);
    expect(messages(diagnostics)).toEqual([
      "runs/train/exp/results.txt:2: warning: line has a different number of fields than a YOLO results.txt line; left out (expected 15 fields, got 14)",
      "runs/train/exp/results.txt:4: warning: last line is incomplete (the file may still be being written); left out (expected 15 fields, got 4)",
    ]);
  });
  it("parseMlflowMetric: lines that are not 'timestamp value step', counted once", () => {
    const { history, diagnostics } = parseMlflowMetric("1700000000000 0.5 0\noops\n1700000000002 0.4 1\nbad 1 2\n", "mlruns/0/r/metrics/loss");
    expect(history!.series[0]).toMatchObject({ name: "loss", x: [0, 1], y: [0.5, 0.4] });
    expect(messages(diagnostics)).toEqual([
      "mlruns/0/r/metrics/loss:2: warning: 2 lines are not 'timestamp value step', the first here; left out (expected e.g. 1700000000000 0.53 12, got \"oops\")",
    ]);
  });
  it("parseSimpleTransformers: a cell that is not a number, and a ragged row", () => {
    const { diagnostics } = parseSimpleTransformers("global_step,train_loss,eval_loss\n100,0.5,x\n200,0.4\n300,0.3,0.2\n", "outputs/training_progress_scores.csv");
    expect(messages(diagnostics)).toEqual([
      "outputs/training_progress_scores.csv:3: warning: row has a different number of fields than the header; left out (expected 3 fields, got 2)",
      'outputs/training_progress_scores.csv:2: warning: column "eval_loss": value is not a number; kept as missing (expected a number, nan, inf or an empty cell, got "x")',
    ]);
  });
  it("parseWandbExport: the band columns are left out and an empty cell is no point", () => {
    const text =
      '"Step","a - loss","a - loss__MIN","a - loss__MAX","b - loss","b - loss__MIN","b - loss__MAX"\n"1","0.5","0.5","0.5","",""," "\n"2","0.4","0.4","0.4","0.9","0.9","0.9"\n';
    const { parts, diagnostics } = parseWandbExport(text, "export.csv");
    expect(diagnostics).toEqual([]);
    expect(parts!.map((p) => [p.runName, p.series.map((s) => [s.name, s.x, s.y])])).toEqual([
      ["a", [["loss", [1, 2], [0.5, 0.4]]]],
      ["b", [["loss", [2], [0.9]]]],
    ]);
  });
  it("parseLudwig: [epoch, step, value] entries (newer Ludwig) use the written epoch", () => {
    const { history } = parseLudwig(
      '{"training": {"combined": {"loss": [[1, 10, 0.9], [2, 20, 0.5]]}}, "validation": {"label": {"accuracy": [0.5, 0.7]}}}',
      "training_statistics.json",
    );
    expect(history!.series.map((s) => [s.name, s.metric, s.split, s.x, s.y])).toEqual([
      ["training/combined/loss", "combined/loss", "train", [1, 2], [0.9, 0.5]],
      ["validation/label/accuracy", "label/accuracy", "validation", [1, 2], [0.5, 0.7]],
    ]);
  });
});
