import type { Diagnostic } from "../diagnostics.ts";
import type { ParseResult } from "../history.ts";
import { isObject, jsonNumber, parsePythonJson } from "./points.ts";
import { jsonSyntaxDiagnostic } from "./jsonLines.ts";
import { no, yes, type FormatModule } from "./formatModule.ts";

/** The summary files `Trainer.save_metrics` writes. */
export const hfSummaryName = /(^|\/)(all_results|train_results|eval_results|test_results|predict_results)\.json$/;

/**
 * Reads a Hugging Face `all_results.json`, `train_results.json` or
 * `eval_results.json` (`Trainer.save_metrics`): a flat object of final
 * metrics. It is a summary, not a history: the result has no history and a
 * `summary`, with a non-fatal "summary only, no history" warning; the
 * archive shows the summary beside the run's `trainer_state.json` when there
 * is one. Never fatal: a file that is not a flat object is a warning too.
 * Never throws.
 */
export function parseHfSummary(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const parsed = parsePythonJson(text);
  const withoutHistory = "a Hugging Face results summary";
  if ("error" in parsed)
    return { history: null, withoutHistory, diagnostics: [{ ...jsonSyntaxDiagnostic(parsed.json, file, parsed.error, "a flat JSON object of final metrics"), fatal: false }] };
  if (!isObject(parsed.value))
    return {
      history: null,
      withoutHistory,
      diagnostics: [{ file, line: 1, reason: "summary is not a JSON object; left out", expected: '{"eval_loss": 0.31, …}', fatal: false, ruleId: "not-summary" }],
    };
  const values: Record<string, string | number | boolean | null> = {};
  for (const [key, raw] of Object.entries(parsed.value)) {
    const n = jsonNumber(raw);
    if (n !== undefined) values[key] = n;
    else if (typeof raw === "string" || typeof raw === "boolean") values[key] = raw;
  }
  diagnostics.push({
    file,
    line: 0,
    reason: "summary only, no history: final metrics of a Hugging Face run; shown on the run's page when a trainer_state.json sits beside it",
    expected: "a trainer_state.json in the same folder",
    fatal: false,
    ruleId: "summary-only",
  });
  return { history: null, diagnostics, summary: { source: file, values }, withoutHistory };
}

/** The Hugging Face all_results.json / train_results.json / eval_results.json summary format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const hfSummaryFormat: FormatModule = {
  format: "hf-summary",
  label: "Hugging Face all_results.json / train_results.json / eval_results.json summary",
  names: hfSummaryName,
  sniff: (h) =>
    !h.text.startsWith("{")
      ? no
      : hfSummaryName.test(h.name) || (/"(train|eval|test)_(runtime|samples_per_second|samples)"\s*:/.test(h.text) && !/:\s*[[{]/.test(h.text.slice(1)))
        ? yes
        : no,
  parse: (_bytes, text, file) => parseHfSummary(text, file),
};
