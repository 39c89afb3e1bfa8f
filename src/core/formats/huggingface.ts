import { lineAt, quote, type Diagnostic } from "../diagnostics.ts";
import type { Attempt, ParseResult, Series } from "../history.ts";
import { jsonErrorOffset } from "./jsonError.ts";
import { roleOf, splitName } from "./naming.ts";
import { isJson, near, no, yes, type FormatModule } from "./formatModule.ts";

/** Python's `json.dump` writes these bare tokens for non-finite floats; JSON has none. */
const nonFinite: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/**
 * Quotes the bare `NaN`, `Infinity` and `-Infinity` tokens outside strings,
 * so `JSON.parse` accepts what Python wrote. Line ends are kept, so error
 * lines still point into the original text.
 */
function quoteNonFinite(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (token) => (token.startsWith('"') ? token : `"${token}"`));
}

/** The diagnostic for text that is not JSON, at the line of the first syntax error. */
function syntaxDiagnostic(text: string, file: string, error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const offset = jsonErrorOffset(text);
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const jsonLines = lines.length > 1 && lines.every((l) => /^\s*\{.*\}\s*$/.test(l));
  // V8's messages quote the text around the error; keep only the first clause.
  const detail = message
    .replace(/, (?:\.\.\.)?".*$/s, "")
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/^./, (c) => c.toLowerCase());
  return {
    file,
    line: lineAt(text, offset < 0 ? text.length : offset),
    reason: jsonLines ? "file is JSON Lines (one object per line, like detectron2's metrics.json), not a trainer_state.json" : `file is not valid JSON: ${detail}`,
    expected: "a trainer_state.json object with a log_history list",
    fatal: true,
    ruleId: "json-syntax",
  };
}

/** A logged value as a number: JSON numbers, the quoted non-finite tokens, or `null`; `undefined` for anything else. */
function toValue(value: unknown): number | null | undefined {
  if (typeof value === "number" || value === null) return value;
  if (typeof value === "string" && value in nonFinite) return nonFinite[value];
  return undefined;
}

/**
 * Reads a Hugging Face `Trainer` state (`trainer_state.json`). Each
 * `log_history` entry is one `log` call at a global step:
 *
 * - training entries (`loss`, `learning_rate`, `grad_norm`, …) become train
 *   series on axis `step`; `learning_rate` is a schedule;
 * - evaluation entries (`eval_loss`, `eval_f1`, …) become validation series
 *   on axis `step` too, so both curves share one axis (`test_…` keys become
 *   test series); `eval_runtime` and the throughputs have role `other`;
 * - the fractional epoch of every entry is kept as one series `epoch` (role
 *   `other`, x = step, y = epoch), which places any point, eval or train, in
 *   its epoch;
 * - the closing summary entry (`train_runtime`, `train_loss`, `total_flos`,
 *   …) is no point of any curve: each of its values becomes a one-point
 *   series with role `other` whose `metric` is the full key.
 *
 * Python writes `NaN` and `Infinity` unquoted; they are read as numbers.
 * Text that is not JSON gives a fatal diagnostic at the line of the syntax
 * error. Never throws.
 */
export function parseHuggingFace(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  let root: unknown;
  // A BOM becomes a space so offsets, and so lines, stay those of the file.
  const json = quoteNonFinite(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  try {
    root = JSON.parse(json);
  } catch (error) {
    return { history: null, diagnostics: [syntaxDiagnostic(json, file, error)] };
  }
  const log = typeof root === "object" && root !== null && !Array.isArray(root) ? (root as Record<string, unknown>)["log_history"] : undefined;
  if (!Array.isArray(log)) {
    diagnostics.push({
      file,
      line: 1,
      reason: "JSON has no log_history list; not a trainer_state.json",
      expected: "an object with a log_history list",
      actual: Array.isArray(root) ? "a list" : root === null ? "null" : typeof root,
      fatal: true,
      ruleId: "no-log-history",
    });
    return { history: null, diagnostics };
  }
  const keyOffset = text.indexOf('"log_history"');
  const firstEntry = text.indexOf("{", keyOffset);
  const attempt: Attempt = { index: 0, line: lineAt(text, firstEntry < 0 ? keyOffset : firstEntry), firstEpoch: 0, lastEpoch: 0, rows: 0 };
  const logLine = lineAt(text, keyOffset);

  const columns: string[] = [];
  const series = new Map<string, { series: Series; byStep: Map<number, number | null> }>();
  const add = (key: string, name: string, describe: () => Omit<Series, "x" | "y" | "name" | "axis" | "attempt">, step: number, value: number | null) => {
    let entry = series.get(key);
    if (entry === undefined) {
      entry = { series: { name, ...describe(), axis: "step", attempt: 0, x: [], y: [] }, byStep: new Map() };
      series.set(key, entry);
    }
    entry.byStep.set(step, value);
  };
  const skipped = new Map<string, number>();
  log.forEach((entry: unknown, i) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      diagnostics.push({
        file,
        line: logLine,
        reason: `log_history entry ${i} is not an object; left out`,
        actual: quote(JSON.stringify(entry) ?? "undefined"),
        fatal: false,
        ruleId: "bad-entry",
      });
      return;
    }
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!columns.includes(key)) columns.push(key);
    const step = record["step"];
    if (typeof step !== "number" || !Number.isInteger(step) || step < 0) {
      diagnostics.push({
        file,
        line: logLine,
        reason: `log_history entry ${i} has no whole-number step; left out`,
        expected: "an integer ≥ 0",
        actual: quote(JSON.stringify(step) ?? "undefined"),
        fatal: false,
        ruleId: "bad-step",
      });
      return;
    }
    const epoch = record["epoch"];
    if (typeof epoch === "number") {
      if (attempt.rows === 0) attempt.firstEpoch = epoch;
      attempt.lastEpoch = Math.max(attempt.lastEpoch, epoch);
      add("epoch", "epoch", () => ({ metric: "epoch", split: "train", role: "other" }), step, epoch);
    }
    attempt.rows++;
    // Trainer.train() ends with one entry of run totals; its train_loss is an average, not a point of the curve.
    const summary = "train_runtime" in record;
    for (const [key, raw] of Object.entries(record)) {
      if (key === "step" || key === "epoch") continue;
      const value = toValue(raw);
      if (value === undefined) {
        skipped.set(key, (skipped.get(key) ?? 0) + 1);
        continue;
      }
      if (summary) add(`summary ${key}`, key, () => ({ metric: key, split: "train", role: "other" }), step, value);
      else add(key, key, () => ({ ...splitName(key), role: roleOf(key) }), step, value);
    }
  });
  for (const [key, count] of skipped) {
    diagnostics.push({
      file,
      line: logLine,
      column: key,
      reason: `${count} value${count > 1 ? "s are" : " is"} not a number; left out`,
      expected: "a number or null",
      fatal: false,
      ruleId: "not-a-number",
    });
  }
  if (attempt.rows === 0) {
    diagnostics.push({ file, line: logLine, reason: "log_history has no entries", expected: "at least one logged step", actual: "none", fatal: true, ruleId: "no-rows" });
    return { history: null, diagnostics };
  }
  const result: Series[] = [];
  for (const { series: s, byStep } of series.values()) {
    s.x = [...byStep.keys()].sort((a, b) => a - b);
    s.y = s.x.map((x) => byStep.get(x) ?? null);
    result.push(s);
  }
  return { history: { file, format: "huggingface", columns, series: result, attempts: [attempt], resumes: [] }, diagnostics };
}

/** The Hugging Face trainer_state.json format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const huggingFaceFormat: FormatModule = {
  format: "huggingface",
  label: "Hugging Face trainer_state.json",
  names: /(^|\/)trainer_state\.json$/,
  folder: "<output>/checkpoint-N/trainer_state.json (the latest checkpoint is the run)",
  sniff: (h) => (isJson(h) && /^\{[\s\S]*"log_history"\s*:/.test(h.text) ? yes : /(^|\/)trainer_state\.json$/.test(h.name) && isJson(h) ? near("it has no log_history list") : no),
  parse: (_bytes, text, file) => parseHuggingFace(text, file),
};
