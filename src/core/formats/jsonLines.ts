import { lineAt, quote, type Diagnostic } from "../diagnostics.ts";
import type { Axis, ParseResult, Resume } from "../history.ts";
import { jsonErrorOffset } from "./jsonError.ts";
import { roleOf, splitName } from "./naming.ts";
import { isObject, jsonNumber, PointCollector, quoteNonFinite } from "./points.ts";
import { near, no, yes, type FormatModule } from "./formatModule.ts";

/** The diagnostic for text that is not JSON, at the line of the first syntax error. */
export function jsonSyntaxDiagnostic(text: string, file: string, error: unknown, expected: string): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const offset = jsonErrorOffset(text);
  const detail = message
    .replace(/, (?:\.\.\.)?".*$/s, "")
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/^./, (c) => c.toLowerCase());
  return { file, line: lineAt(text, offset < 0 ? text.length : offset), reason: `file is not valid JSON: ${detail}`, expected, fatal: true, ruleId: "json-syntax" };
}

/** The JSON Lines writers runsite knows, told apart by the keys of their rows. */
export type JsonLinesFlavor = "detectron2" | "mmengine" | "mmcv" | "wandb";

/** The flavor of a JSON Lines file from its first rows, or `null`. */
export function jsonLinesFlavor(rows: readonly Record<string, unknown>[]): JsonLinesFlavor | null {
  for (const row of rows) {
    if ("env_info" in row || ("mode" in row && "epoch" in row)) return "mmcv";
    if ("_step" in row) return "wandb";
    if ("iteration" in row) return "detectron2";
    if ("step" in row) return "mmengine";
  }
  return null;
}

/** Keys that say where a row is, not what was measured. */
const position: Readonly<Record<JsonLinesFlavor, readonly string[]>> = {
  detectron2: ["iteration"],
  mmengine: ["step", "epoch", "iter"],
  mmcv: ["mode", "epoch", "iter"],
  wandb: ["_step"],
};

/** detectron2 evaluation results: `<task>/<metric>`. */
const detectron2Eval = /^(bbox|segm|keypoints|sem_seg|panoptic_seg|box_proposals)\//;

/** Keys of a training row that an evaluation row never has. */
const trainingKeys = /(^|[/_])(loss|lr|time|data_time|memory|eta_seconds)$|^loss/;

/**
 * Reads the JSON Lines family, one object per line:
 *
 * - detectron2 `metrics.json`: x = `iteration` (axis step). Evaluation rows
 *   (`bbox/AP`, … with no loss) are validation series merged at their
 *   iteration; a restart that logs iterations again keeps the later rows
 *   (recorded as a resume); bare `NaN` is read.
 * - mmengine `vis_data/scalars.json`: training rows carry `epoch`, `iter`
 *   and `step` (the global iteration, axis step); validation rows carry only
 *   `step`, which is then the epoch (axis epoch) in an epoch-based loop.
 * - mmdetection/mmcls 0.x/2.x `*.log.json`: a first `env_info` line, then
 *   `mode` train rows (`epoch`, `iter` within the epoch; x = the global
 *   iteration counted over the epochs) and val rows (axis epoch).
 * - legacy W&B `wandb-history.jsonl`: x = `_step`; each row holds only some
 *   keys; `_runtime`/`_timestamp` and a logged `epoch` are kept as `other`; nested values
 *   (histograms, images) are left out with one warning.
 *
 * Lines that are not JSON objects are left out with a warning naming the
 * line; a truncated last line is a line still being written. Never throws.
 */
export function parseJsonLines(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const rows: { line: number; row: Record<string, unknown> }[] = [];
  const lines = text.split("\n");
  let badLines: { first: number; count: number; actual: string } | null = null;
  lines.forEach((raw, i) => {
    const body = (i === 0 ? raw.replace(/^\uFEFF/, "") : raw).trim();
    if (body === "") return;
    let value: unknown;
    try {
      value = JSON.parse(quoteNonFinite(body));
    } catch {
      value = undefined;
    }
    if (isObject(value)) rows.push({ line: i + 1, row: value });
    else if (i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1]!.trim() === "")) {
      if (value === undefined && !/\n\s*$/.test(text))
        diagnostics.push({
          file,
          line: i + 1,
          reason: "last line is incomplete (the file may still be being written); left out",
          expected: "a JSON object",
          actual: quote(body),
          fatal: false,
          ruleId: "truncated-row",
        });
      else diagnostics.push({ file, line: i + 1, reason: "line is not a JSON object; left out", expected: "a JSON object", actual: quote(body), fatal: false, ruleId: "bad-line" });
    } else if (badLines === null) badLines = { first: i + 1, count: 1, actual: quote(body) };
    else badLines.count++;
  });
  if (badLines !== null) {
    const b = badLines as { first: number; count: number; actual: string };
    diagnostics.push({
      file,
      line: b.first,
      reason: b.count > 1 ? `${b.count} lines are not JSON objects, the first here; left out` : "line is not a JSON object; left out",
      expected: "one JSON object per line",
      actual: b.actual,
      fatal: false,
      ruleId: "bad-line",
    });
  }
  const flavor = jsonLinesFlavor(rows.slice(0, 20).map((r) => r.row));
  if (flavor === null && rows.length === 1) {
    // mmengine's test mode writes one line of final metrics and no step: a summary, like Hugging Face's all_results.json.
    const values: Record<string, number | null> = {};
    for (const [key, raw] of Object.entries(rows[0]!.row)) {
      const n = jsonNumber(raw);
      if (n !== undefined) values[key] = n;
    }
    diagnostics.push({
      file,
      line: 0,
      reason: "summary only, no history: one line of final metrics (mmengine test results)",
      expected: "rows with a step, iteration or epoch",
      fatal: false,
      ruleId: "summary-only",
    });
    return { history: null, diagnostics, summary: { source: file, values }, withoutHistory: "an mmengine test result" };
  }
  if (flavor === null) {
    diagnostics.push({
      file,
      line: rows[0]?.line ?? 1,
      reason: rows.length === 0 ? "no JSON object lines" : "JSON Lines rows have no iteration, step, _step or epoch key",
      expected: "detectron2, mmengine, mmdetection or W&B JSON Lines",
      fatal: true,
      ruleId: "unknown-json-lines",
    });
    return { history: null, diagnostics };
  }
  const points = new PointCollector();
  const resumes: Resume[] = [];
  const skipped = new Map<string, { line: number; count: number }>();
  const skip = (key: string, line: number) => {
    const s = skipped.get(key);
    if (s === undefined) skipped.set(key, { line, count: 1 });
    else s.count++;
  };
  const columns = new Set<string>();
  const media = new Map<string, number>();
  const trainEpochs = rows.some(({ row }) => "epoch" in row && !("mode" in row));
  const itersPerEpoch = new Map<number, number>();
  if (flavor === "mmcv")
    for (const { row } of rows)
      if (typeof row["epoch"] === "number" && typeof row["iter"] === "number") itersPerEpoch.set(row["epoch"], Math.max(itersPerEpoch.get(row["epoch"]) ?? 0, row["iter"]));
  const epochOffset = (epoch: number) => [...itersPerEpoch].filter(([e]) => e < epoch).reduce((n, [, iters]) => n + iters, 0);
  let previous = -Infinity;
  for (const { line, row } of rows) {
    if (flavor === "mmcv" && "env_info" in row) continue;
    let x: unknown;
    let axis: Axis = "step";
    let evaluation = false;
    if (flavor === "detectron2") {
      x = row["iteration"];
      evaluation = !Object.keys(row).some((k) => trainingKeys.test(k));
    } else if (flavor === "wandb") x = row["_step"];
    else if (flavor === "mmengine") {
      x = row["step"];
      evaluation = !("iter" in row) && !("epoch" in row) && !("lr" in row);
      if (evaluation && trainEpochs) axis = "epoch";
    } else {
      evaluation = row["mode"] !== "train";
      const epoch = row["epoch"];
      const iter = row["iter"];
      if (evaluation) {
        x = epoch;
        axis = "epoch";
      } else x = typeof epoch === "number" && typeof iter === "number" ? epochOffset(epoch) + iter : undefined;
    }
    if (typeof x !== "number" || !Number.isFinite(x)) {
      diagnostics.push({
        file,
        line,
        reason: `row has no numeric ${flavor === "detectron2" ? "iteration" : flavor === "wandb" ? "_step" : flavor === "mmcv" ? "epoch and iter" : "step"}; left out`,
        actual: quote(JSON.stringify(row)),
        fatal: false,
        ruleId: "bad-step",
      });
      continue;
    }
    if (!evaluation && axis === "step") {
      if (x <= previous && flavor === "detectron2") resumes.push({ attempt: 0, epoch: x, line });
      previous = x;
    }
    points.rows++;
    for (const [key, raw] of Object.entries(row)) {
      if (position[flavor].includes(key)) continue;
      if (evaluation && flavor !== "detectron2" && /^(lr|data_time|time|memory)$/.test(key)) continue;
      const value = jsonNumber(typeof raw === "boolean" ? Number(raw) : raw);
      // mmdetection repeats its mAPs as one string for copying (bbox_mAP_copypaste): not a value.
      if (value === undefined && key.endsWith("_copypaste")) continue;
      // W&B media and histograms (wandb.watch gradients) are objects with a _type: not scalars, and expected.
      if (value === undefined && flavor === "wandb" && isObject(raw) && "_type" in raw) {
        media.set(key, (media.get(key) ?? 0) + 1);
        continue;
      }
      if (value === undefined) {
        skip(key, line);
        continue;
      }
      columns.add(key);
      const named = splitName(key);
      // detectron2's evaluators name results by task (bbox/AP, segm/AP50), often in a row with the losses.
      const evaluated = evaluation || (flavor === "detectron2" && detectron2Eval.test(key));
      const meta = {
        ...(evaluated && named.split === "train" ? { metric: key, split: "validation" as const } : named),
        role: /^_(runtime|timestamp)$|^(data_time|memory|eta_seconds|epoch)$/.test(key) ? ("other" as const) : roleOf(key),
      };
      points.add(key, axis, x, value, meta);
    }
  }
  for (const [key, { line, count }] of skipped) {
    diagnostics.push({
      file,
      line,
      column: key,
      reason: `${count} value${count > 1 ? "s are" : " is"} not a number (text or nested data); left out`,
      expected: "a number or null",
      fatal: false,
      ruleId: "not-a-number",
    });
  }
  if (media.size > 0) {
    const keys = [...media.keys()];
    diagnostics.push({
      file,
      line: 0,
      reason: `${keys.length} key${keys.length > 1 ? "s hold" : " holds"} W&B media or histograms (${keys.slice(0, 3).join(", ")}${keys.length > 3 ? ", …" : ""}); not plotted`,
      fatal: false,
      ruleId: "wandb-media",
    });
  }
  if (resumes.length > 0) {
    const r = resumes[0]!;
    diagnostics.push({
      file,
      line: r.line,
      reason: `${flavor === "detectron2" ? "iteration" : "step"} goes back to ${r.epoch} (a restart appended to the same file${resumes.length > 1 ? `, ${resumes.length} times` : ""}); the later rows win at repeated steps`,
      fatal: false,
      ruleId: "restart",
    });
  }
  if (points.size === 0) {
    diagnostics.push({ file, line: rows[0]?.line ?? 1, reason: "no numeric values in any row", expected: "rows of logged scalars", fatal: true, ruleId: "no-rows" });
    return { history: null, diagnostics };
  }
  return { history: { file, format: "jsonl", columns: [...columns], series: points.series(), attempts: [points.attempt(rows[0]?.line ?? 1)], resumes }, diagnostics };
}

/** JSON Lines: a first line that is a whole object, and another object line after it. */
const jsonLinesHead = (text: string) => /^\{[^\n]*\}[ \t\r]*\n\s*\{/.test(text);

/** The JSON Lines log (detectron2 metrics.json, mmengine scalars.json, mmdetection .log.json, W&B wandb-history.jsonl) format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const jsonLinesFormat: FormatModule = {
  format: "jsonl",
  label: "JSON Lines log (detectron2 metrics.json, mmengine scalars.json, mmdetection .log.json, W&B wandb-history.jsonl)",
  names: /(^|\/)(metrics\.json|scalars\.json|[^/]*\.log\.json|wandb-history\.jsonl|[^/]*\.jsonl)$/,
  sniff: (h) => {
    if (jsonLinesHead(h.text)) return yes;
    // mmengine's test mode: one line of final metrics with its timings (data_time, time).
    if (/^\{[^\n]*"data_time"\s*:[^\n]*\}\s*$/.test(h.text)) return yes;
    if (!/\.jsonl$|(^|\/)(scalars|metrics)\.json$|\.log\.json$/.test(h.name) || !h.text.startsWith("{")) return no;
    // One line is a JSON Lines file of one row (a run that logged once).
    return /^\{[^\n]*\}\s*$/.test(h.text) && /"(_step|iteration|step|mode)"\s*:/.test(h.text) ? yes : near("it is a single JSON value, not one object per line");
  },
  parse: (_bytes, text, file) => parseJsonLines(text, file),
};
