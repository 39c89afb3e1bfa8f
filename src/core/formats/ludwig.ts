import type { Diagnostic } from "../diagnostics.ts";
import type { ParseResult, Split } from "../history.ts";
import { roleOf } from "./naming.ts";
import { isObject, jsonNumber, parsePythonJson, PointCollector } from "./points.ts";
import { jsonSyntaxDiagnostic } from "./jsonLines.ts";
import { near, no, yes, type FormatModule } from "./formatModule.ts";

/** Ludwig's split keys: old (`train`) and new (`training`) names. */
export const ludwigSplits: Readonly<Record<string, Split>> = { training: "train", train: "train", validation: "validation", test: "test" };

/**
 * Reads Ludwig's `training_statistics.json`: split → output feature →
 * metric → one entry per evaluation. Split keys are `training`/`validation`/
 * `test` (Ludwig ≥ 0.4) or `train`/`validation`/`test` (older). An entry is
 * a number (older Ludwig: the list index is the epoch, counted from 1 as
 * Ludwig prints it) or a `[epoch, step, value]` TrainerMetric (newer).
 * Series are named `<feature>/<metric>` (`combined/loss` is the total loss).
 * Never throws.
 */
export function parseLudwig(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const parsed = parsePythonJson(text);
  if ("error" in parsed) return { history: null, diagnostics: [jsonSyntaxDiagnostic(parsed.json, file, parsed.error, "Ludwig training_statistics.json")] };
  const root = parsed.value;
  const splits = isObject(root) ? Object.keys(root).filter((k) => k in ludwigSplits && isObject(root[k])) : [];
  if (!isObject(root) || splits.length === 0) {
    return {
      history: null,
      diagnostics: [
        {
          file,
          line: 1,
          reason: "JSON has no training, validation or test object; not a Ludwig training_statistics.json",
          expected: '{"training": {"<feature>": {"loss": […]}}, …}',
          fatal: true,
          ruleId: "no-splits",
        },
      ],
    };
  }
  const points = new PointCollector();
  let skipped = 0;
  for (const splitKey of splits) {
    const split = ludwigSplits[splitKey]!;
    for (const [feature, metrics] of Object.entries(root[splitKey] as Record<string, unknown>)) {
      if (!isObject(metrics)) continue;
      for (const [metric, list] of Object.entries(metrics)) {
        if (!Array.isArray(list)) continue;
        const name = `${feature}/${metric}`;
        list.forEach((entry: unknown, i) => {
          let epoch = i + 1;
          let value = jsonNumber(entry);
          if (Array.isArray(entry) && entry.length === 3) {
            const e = jsonNumber(entry[0]);
            if (typeof e === "number") epoch = e;
            value = jsonNumber(entry[2]);
          }
          if (value === undefined) {
            skipped++;
            return;
          }
          points.rows = Math.max(points.rows, i + 1);
          points.add(`${splitKey}/${name}`, "epoch", epoch, value, { metric: name, split, role: roleOf(metric) });
        });
      }
    }
  }
  if (skipped > 0) diagnostics.push({ file, line: 1, reason: `${skipped} entries are neither numbers nor [epoch, step, value]; left out`, fatal: false, ruleId: "not-a-number" });
  if (points.size === 0) {
    diagnostics.push({ file, line: 1, reason: "no metric lists in any split", expected: "lists of numbers per output feature and metric", fatal: true, ruleId: "no-rows" });
    return { history: null, diagnostics };
  }
  return { history: { file, format: "ludwig", columns: points.names(), series: points.series(), attempts: [points.attempt(1)], resumes: [] }, diagnostics };
}

/** The Ludwig training_statistics.json format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const ludwigFormat: FormatModule = {
  format: "ludwig",
  label: "Ludwig training_statistics.json",
  names: /(^|\/)training_statistics\.json$/,
  sniff: (h) => {
    if (!h.text.startsWith("{")) return no;
    if (/^\{\s*"(training|train|validation|test)"\s*:\s*\{/.test(h.text) && /"combined"\s*:/.test(h.text)) return yes;
    return /(^|\/)training_statistics\.json$/.test(h.name) ? near("it has no training/validation/test objects with a combined feature") : no;
  },
  parse: (_bytes, text, file) => parseLudwig(text, file),
};
