import { BadCells, readTable, raggedRow } from "../csv.ts";
import { quote, type Diagnostic } from "../diagnostics.ts";
import type { ParseResult, Split } from "../history.ts";
import { roleOf } from "./naming.ts";
import { PointCollector } from "./points.ts";
import { no, yes, type FormatModule } from "./formatModule.ts";

/**
 * Reads simpletransformers' `training_progress_scores.csv`: `global_step`,
 * then the evaluation metrics (`mcc`, `tp`, … for classification; `correct`,
 * `similar`, `incorrect` for question answering), `train_loss` and
 * `eval_loss`, one row per evaluation, at irregular steps (every
 * `evaluate_during_training_steps`, and at each epoch's end). x =
 * `global_step` (axis step); `train_loss` is the train loss at that step,
 * every other column was computed on the evaluation set. Never throws.
 */
export function parseSimpleTransformers(text: string, file: string): ParseResult {
  const read = readTable(text, file, "a header line global_step,…,train_loss,eval_loss");
  if ("diagnostic" in read) return { history: null, diagnostics: [read.diagnostic] };
  const { header, rows } = read.table;
  const names = header.fields.map((f) => f.trim());
  const diagnostics: Diagnostic[] = [];
  const stepIndex = names.indexOf("global_step");
  if (stepIndex < 0) {
    diagnostics.push({
      file,
      line: header.line,
      reason: "header has no global_step column",
      expected: "a header line global_step,…,train_loss,eval_loss",
      actual: quote(header.fields.join(",")),
      fatal: true,
      ruleId: "no-step-column",
    });
    return { history: null, diagnostics };
  }
  const bad = new BadCells();
  const points = new PointCollector();
  for (const { line, fields } of rows) {
    if (fields.length !== names.length) {
      diagnostics.push(raggedRow(file, line, names.length, fields.length));
      continue;
    }
    const step = Number(fields[stepIndex]!.trim());
    if (fields[stepIndex]!.trim() === "" || !Number.isInteger(step) || step < 0) {
      diagnostics.push({
        file,
        line,
        column: "global_step",
        reason: "global_step is not a whole number; row left out",
        expected: "an integer ≥ 0",
        actual: quote(fields[stepIndex]!),
        fatal: false,
        ruleId: "bad-step",
      });
      continue;
    }
    points.rows++;
    names.forEach((name, c) => {
      if (c === stepIndex) return;
      const split: Split = name === "train_loss" ? "train" : "validation";
      const metric = name === "train_loss" || name === "eval_loss" ? "loss" : name;
      points.add(name, "step", step, bad.read(fields[c]!, name, line), { metric, split, role: roleOf(name) });
    });
  }
  diagnostics.push(...bad.diagnostics(file));
  if (points.rows === 0) {
    diagnostics.push({ file, line: header.line, reason: "no data rows", expected: "at least one row after the header", actual: "none", fatal: true, ruleId: "no-rows" });
    return { history: null, diagnostics };
  }
  return { history: { file, format: "simpletransformers", columns: names, series: points.series(), attempts: [points.attempt(rows[0]?.line ?? 2)], resumes: [] }, diagnostics };
}

/** The simpletransformers training_progress_scores.csv format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const simpleTransformersFormat: FormatModule = {
  format: "simpletransformers",
  label: "simpletransformers training_progress_scores.csv",
  names: /(^|\/)training_progress_scores\.csv$/,
  sniff: (h) => (h.fields[0] === "global_step" ? yes : no),
  parse: (_bytes, text, file) => parseSimpleTransformers(text, file),
};
