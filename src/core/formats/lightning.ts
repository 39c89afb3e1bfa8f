import { BadCells, parseCell, readTable, raggedRow } from "../csv.ts";
import { quote, type Diagnostic } from "../diagnostics.ts";
import type { Attempt, Axis, ParseResult, Series } from "../history.ts";
import { roleOf, splitName } from "./naming.ts";
import { has, near, no, yes, type FormatModule } from "./formatModule.ts";

/** One non-empty cell of a value column. */
interface Point {
  step: number;
  epoch: number | null;
  value: number | null;
}

/** `train_loss_step` and `train_loss_epoch` are the same metric logged with `on_step` and `on_epoch`. */
const suffix = /_(step|epoch)$/;

/**
 * Reads a PyTorch Lightning `CSVLogger` `metrics.csv`. Lightning writes one
 * row per `log` call site and step, leaving the other columns empty, so a
 * cell is only a value where it is non-empty.
 *
 * A column becomes an epoch series (x = epoch as written, 0-based) when it
 * holds at most one value per epoch; it becomes a step series (x = `step`)
 * when its name ends in `_step`, when it is a learning rate
 * (`LearningRateMonitor` writes `lr-Adam` on rows with an empty epoch), or
 * when it holds several values in one epoch (`self.log("train_loss")` in
 * `training_step` logs every `log_every_n_steps`). Names keep their exact
 * spelling; `metric` drops the split prefix and the `_epoch`/`_step` suffix.
 * The `test_…` row Lightning adds after training (at one epoch past the
 * last) becomes test series. Repeated x values keep the later row. Never
 * throws.
 */
export function parseLightning(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const read = readTable(text, file, "a header line with step and epoch columns");
  if ("diagnostic" in read) return { history: null, diagnostics: [read.diagnostic] };
  const { header, rows } = read.table;
  const names = header.fields;
  const stepIndex = names.findIndex((n) => n.trim() === "step");
  const epochIndex = names.findIndex((n) => n.trim() === "epoch");
  if (stepIndex < 0 || epochIndex < 0) {
    const missing = stepIndex < 0 && epochIndex < 0 ? "step and epoch columns" : stepIndex < 0 ? "a step column" : "an epoch column";
    diagnostics.push({
      file,
      line: header.line,
      reason: `header has no ${missing}`,
      expected: "a header line with step and epoch columns",
      actual: quote(names.join(",")),
      fatal: true,
      ruleId: "no-step-epoch-columns",
    });
    return { history: null, diagnostics };
  }

  const points: Point[][] = names.map(() => []);
  const badCells = new BadCells();
  let attempt: Attempt | null = null;
  for (const { line, fields } of rows) {
    if (fields.length !== names.length) {
      diagnostics.push(raggedRow(file, line, names.length, fields.length));
      continue;
    }
    const stepCell = parseCell(fields[stepIndex]!);
    const epochCell = parseCell(fields[epochIndex]!);
    const step = "value" in stepCell ? stepCell.value : null;
    const epoch = "value" in epochCell ? epochCell.value : NaN;
    if (step === null || !Number.isInteger(step) || step < 0) {
      diagnostics.push({
        file,
        line,
        column: names[stepIndex]!,
        reason: "step is not a whole number; row left out",
        expected: "an integer ≥ 0",
        actual: quote(fields[stepIndex]!),
        fatal: false,
        ruleId: "bad-step",
      });
      continue;
    }
    if (epoch !== null && (!Number.isInteger(epoch) || epoch < 0)) {
      diagnostics.push({
        file,
        line,
        column: names[epochIndex]!,
        reason: "epoch is not a whole number or empty; row left out",
        expected: "an integer ≥ 0 or an empty cell",
        actual: quote(fields[epochIndex]!),
        fatal: false,
        ruleId: "bad-epoch",
      });
      continue;
    }
    attempt ??= { index: 0, line, firstEpoch: epoch ?? 0, lastEpoch: epoch ?? 0, rows: 0 };
    attempt.rows++;
    if (epoch !== null) {
      attempt.firstEpoch = Math.min(attempt.firstEpoch, epoch);
      attempt.lastEpoch = Math.max(attempt.lastEpoch, epoch);
    }
    fields.forEach((raw, c) => {
      if (c === stepIndex || c === epochIndex || raw.trim() === "") return;
      const cell = parseCell(raw);
      if ("value" in cell) points[c]!.push({ step, epoch, value: cell.value });
      else badCells.add(names[c]!, line, cell.error);
    });
  }
  diagnostics.push(...badCells.diagnostics(file, "left out"));
  if (attempt === null) {
    diagnostics.push({ file, line: header.line, reason: "no data rows", expected: "at least one row after the header", actual: "none", fatal: true, ruleId: "no-rows" });
    return { history: null, diagnostics };
  }

  const series: Series[] = [];
  names.forEach((name, c) => {
    const column = points[c]!;
    if (column.length === 0) return;
    const match = suffix.exec(name);
    const role = roleOf(name);
    const axis: Axis = match?.[1] === "epoch" ? "epoch" : match?.[1] === "step" || role === "schedule" || !onePerEpoch(column) ? "step" : "epoch";
    const byX = new Map<number, number | null>();
    for (const p of column) byX.set(axis === "step" ? p.step : p.epoch!, p.value);
    const x = [...byX.keys()].sort((a, b) => a - b);
    const { split, metric } = splitName(match === null ? name : name.slice(0, match.index));
    series.push({ name, metric, split, axis, role, attempt: 0, x, y: x.map((v) => byX.get(v) ?? null) });
  });
  return { history: { file, format: "lightning", columns: names, series, attempts: [attempt], resumes: [] }, diagnostics };
}

/** True when every point has an epoch and no epoch holds two points. */
function onePerEpoch(points: readonly Point[]): boolean {
  const seen = new Set<number>();
  for (const p of points) {
    if (p.epoch === null || seen.has(p.epoch)) return false;
    seen.add(p.epoch);
  }
  return true;
}

/** The PyTorch Lightning metrics.csv format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const lightningFormat: FormatModule = {
  format: "lightning",
  label: "PyTorch Lightning metrics.csv",
  names: /(^|\/)metrics\.csv$/,
  folder: "lightning_logs/version_N/metrics.csv (+ hparams.yaml)",
  sniff: (h) =>
    has(h, "epoch") && has(h, "step")
      ? yes
      : /(^|\/)metrics\.csv$/.test(h.name) && h.fields.length > 1
        ? near(`its header has no ${has(h, "step") ? "epoch" : "step"} column`)
        : no,
  parse: (_bytes, text, file) => parseLightning(text, file),
};
