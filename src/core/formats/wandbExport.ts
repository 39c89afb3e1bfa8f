import { BadCells, readTable, raggedRow } from "../csv.ts";
import { quote, type Diagnostic } from "../diagnostics.ts";
import type { History, ParseResult } from "../history.ts";
import { PointCollector } from "./points.ts";
import { no, yes, type FormatModule } from "./formatModule.ts";

/** `<run> - <metric>`, with W&B's `__MIN`/`__MAX` band columns recognised. */
const runColumn = /^(.*) - (.+?)(__MIN|__MAX)?$/;

/**
 * Reads a W&B chart export (the "Download CSV" of a line plot):
 * `"Step","<run> - <metric>","<run> - <metric>__MIN","<run> - <metric>__MAX",…`.
 * The x column may be W&B's `Step` or a custom x axis (`epoch_id`,
 * `evaluations`); a grouped chart names groups (`algo: UCEA`) instead of
 * runs. One history per run or group (`parts`): its columns become its
 * series on axis step (epoch when the x column's name says epoch); the `__MIN`/`__MAX`
 * band columns are the smoothing band W&B draws, left out. A run missing at
 * a step leaves an empty cell, read as no point. Never throws.
 */
export function parseWandbExport(text: string, file: string): ParseResult {
  const read = readTable(text, file, 'a header line "Step","<run> - <metric>",…');
  if ("diagnostic" in read) return { history: null, diagnostics: [read.diagnostic] };
  const { header, rows } = read.table;
  const names = header.fields.map((f) => f.trim());
  const diagnostics: Diagnostic[] = [];
  const xName = names[0] ?? "";
  // A custom x axis keeps its values; one named like an epoch is an epoch axis.
  const axis = /epoch/i.test(xName) ? "epoch" : "step";
  const runs = new Map<string, PointCollector>();
  const columns = names.map((name, c) => {
    if (c === 0) return null;
    const m = runColumn.exec(name);
    if (m === null || m[3] !== undefined) return null;
    let run = runs.get(m[1]!);
    if (run === undefined) runs.set(m[1]!, (run = new PointCollector()));
    return { run: m[1]!, metric: m[2]!, points: run };
  });
  if (runs.size === 0) {
    diagnostics.push({
      file,
      line: header.line,
      reason: "header has no '<run> - <metric>' columns",
      expected: 'a header line "Step","<run> - <metric>",…',
      actual: quote(header.fields.join(",")),
      fatal: true,
      ruleId: "no-run-columns",
    });
    return { history: null, diagnostics };
  }
  const bad = new BadCells();
  for (const { line, fields } of rows) {
    if (fields.length !== names.length) {
      diagnostics.push(raggedRow(file, line, names.length, fields.length));
      continue;
    }
    const x = Number(fields[0]!.trim());
    if (fields[0]!.trim() === "" || !Number.isFinite(x)) {
      diagnostics.push({
        file,
        line,
        column: xName,
        reason: `${xName} is not a number; row left out`,
        expected: "a number",
        actual: quote(fields[0]!),
        fatal: false,
        ruleId: "bad-step",
      });
      continue;
    }
    const touched = new Set<PointCollector>();
    columns.forEach((column, c) => {
      if (column === null || fields[c]!.trim() === "") return;
      const value = bad.read(fields[c]!, names[c]!, line);
      // W&B's own counters (`_step`, `_runtime`) come along when charted: kept, never analysed.
      column.points.add(column.metric, axis, x, value, column.metric.startsWith("_") ? { metric: column.metric, split: "train", role: "other" } : undefined);
      touched.add(column.points);
    });
    for (const run of touched) run.rows++;
  }
  diagnostics.push(...bad.diagnostics(file));
  const parts: History[] = [];
  for (const [run, points] of runs) {
    if (points.size === 0) continue;
    parts.push({ file, format: "wandb-export", columns: points.names(), series: points.series(), attempts: [points.attempt(rows[0]?.line ?? 2)], resumes: [], runName: run });
  }
  if (parts.length === 0) {
    diagnostics.push({ file, line: header.line, reason: "no values for any run", expected: "at least one row with a value", actual: "none", fatal: true, ruleId: "no-rows" });
    return { history: null, diagnostics };
  }
  // The first run stands for the file where one history is wanted (inspect); the archive makes one experiment per part.
  return { history: parts[0]!, parts, diagnostics };
}

/** The W&B chart export (CSV) format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const wandbExportFormat: FormatModule = {
  format: "wandb-export",
  label: "W&B chart export (CSV)",
  names: /(^|\/)wandb_export[^/]*\.csv$/,
  sniff: (h) => {
    const runs = h.fields.slice(1).filter((f) => f.includes(" - "));
    // The x column may be renamed (a custom x axis: epoch_id, evaluations); the band columns give W&B away.
    if (runs.length === 0) return no;
    if (/^(step|_step|epoch|global_step)$/i.test(h.fields[0] ?? "")) return yes;
    return runs.length === h.fields.length - 1 && runs.some((f) => /__(MIN|MAX)$/.test(f)) ? yes : no;
  },
  parse: (_bytes, text, file) => parseWandbExport(text, file),
};
