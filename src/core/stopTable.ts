import { compareStrings, type Diagnostic } from "./diagnostics.ts";
import { metricDirection, type DirectionEntry } from "./direction.ts";
import { earlyStopping, type StopSemantics, type StopSummary } from "./earlyStopping.ts";
import type { Series, Split } from "./history.ts";

/** One line of the early-stopping table: one series under one patience. */
export interface StopRow extends StopSummary {
  /** The series name exactly as in the file, e.g. `"val_loss"`. */
  series: string;
  /** The metric without its split prefix, e.g. `"loss"`. */
  metric: string;
  split: Split;
  /** The attempt the series comes from (see `History.attempts`). */
  attempt: number;
}

/** Settings of the early-stopping table. */
export interface StopTableOptions {
  /** Patiences to replay, one row each. Default `[0, 3, 10]`: none, Keras examples' 3, a lenient 10. */
  patience?: readonly number[];
  /** Passed to `earlyStopping` (default `0.005`, the seed's tolerance). */
  minDelta?: number;
  /** Passed to `earlyStopping` (default `"keras3"`). */
  semantics?: StopSemantics;
  /** Directions keyed by metric, as in `content/labels/metrics.yml`. */
  directions: Readonly<Record<string, DirectionEntry | undefined>>;
  /** Root-relative path of the history, for diagnostics. */
  file: string;
}

/** The table and the warnings about metrics left out of it. */
export interface StopTable {
  rows: StopRow[];
  diagnostics: Diagnostic[];
}

const splitOrder: Readonly<Record<Split, number>> = { train: 0, validation: 1, test: 2 };

/**
 * Replays EarlyStopping over every training and validation metric of a
 * history, for each patience in the grid. Rows are arranged by metric, then
 * split (train before validation), then attempt, then patience, as the seed's
 * `arrange(metric, epoch)` did. Series on the step axis are left out, since
 * EarlyStopping runs at the end of epochs. A metric whose direction is
 * unknown gets one warning and no rows. Never throws on input.
 *
 * @example
 * stopTable(history.series, {directions: {}, file: history.file}).rows
 * // → [{series: "loss", metric: "loss", split: "train", patience: 0, …}, …]
 */
export function stopTable(series: readonly Series[], options: StopTableOptions): StopTable {
  const patiences = options.patience ?? [0, 3, 10];
  const candidates = series
    .filter((s) => s.role === "metric" && s.axis === "epoch" && (s.split === "train" || s.split === "validation"))
    .toSorted(
      (a, b) =>
        compareStrings(a.metric, b.metric) || splitOrder[a.split] - splitOrder[b.split] || a.attempt - b.attempt,
    );
  const rows: StopRow[] = [];
  const diagnostics: Diagnostic[] = [];
  const warned = new Set<string>();
  for (const s of candidates) {
    const direction = metricDirection(s.metric, options.directions);
    if (direction === null) {
      // One warning per metric, not per series: the fix is one entry in metrics.yml.
      if (!warned.has(s.metric)) diagnostics.push(unknownDirection(options.file, s));
      warned.add(s.metric);
      continue;
    }
    for (const patience of patiences) {
      rows.push({
        series: s.name,
        metric: s.metric,
        split: s.split,
        attempt: s.attempt,
        ...earlyStopping(s, {
          mode: direction.mode,
          patience,
          ...(options.minDelta === undefined ? {} : { minDelta: options.minDelta }),
          ...(options.semantics === undefined ? {} : { semantics: options.semantics }),
        }),
      });
    }
  }
  return { rows, diagnostics };
}

function unknownDirection(file: string, s: Series): Diagnostic {
  return {
    file,
    line: 0,
    column: s.name,
    reason:
      `the direction of metric ${JSON.stringify(s.metric)} is unknown, so it is left out of the ` +
      `early-stopping analysis; to silence this, add it to content/labels/metrics.yml with direction min or max`,
    expected: "a metric whose name says which way is better (loss, error, accuracy, dice, …)",
    actual: JSON.stringify(s.metric),
    fatal: false,
    ruleId: "unknown-direction",
  };
}

/** The text formats of the table. */
export type StopTableFormat = "csv" | "markdown" | "latex";

interface Column {
  /** Machine name (CSV header). */
  key: string;
  /** Human heading (markdown and LaTeX). */
  heading: string;
  right: boolean;
  /** Full precision for CSV (`exact`), rounded for people. */
  cell: (row: StopRow, exact: boolean) => string;
}

const columns: readonly Column[] = [
  { key: "series", heading: "Series", right: false, cell: (r) => r.series },
  { key: "metric", heading: "Metric", right: false, cell: (r) => r.metric },
  { key: "split", heading: "Split", right: false, cell: (r) => r.split },
  { key: "attempt", heading: "Attempt", right: true, cell: (r) => String(r.attempt) },
  { key: "mode", heading: "Mode", right: false, cell: (r) => r.mode },
  { key: "min_delta", heading: "Min delta", right: true, cell: (r, e) => num(r.minDelta, e) },
  { key: "patience", heading: "Patience", right: true, cell: (r) => String(r.patience) },
  { key: "stopped_epoch", heading: "Stopped", right: true, cell: (r) => r.stoppedEpoch === null ? "never" : String(r.stoppedEpoch) },
  { key: "best_epoch", heading: "Best epoch", right: true, cell: (r) => r.bestEpoch === null ? "" : String(r.bestEpoch) },
  { key: "best_value", heading: "Best", right: true, cell: (r, e) => num(r.bestValue, e) },
  { key: "value_at_stop", heading: "At stop", right: true, cell: (r, e) => num(r.valueAtStop, e) },
  { key: "final_value", heading: "Final", right: true, cell: (r, e) => num(r.finalValue, e) },
  { key: "epochs_run", heading: "Run", right: true, cell: (r) => String(r.epochsRun) },
  { key: "epochs_saved", heading: "Saved", right: true, cell: (r) => String(r.epochsSaved) },
  { key: "gap_to_overall_best", heading: "Gap to best", right: true, cell: (r, e) => num(r.gapToOverallBest, e) },
];

/**
 * Writes the table as CSV (full precision, for downloads), GitHub markdown or
 * a LaTeX `tabular` with booktabs rules (values to 4 significant digits).
 * A stop that never happens reads `never`; other missing values are empty.
 * The attempt column appears only when the rows come from several attempts.
 */
export function formatStopTable(rows: readonly StopRow[], format: StopTableFormat): string {
  const shown = new Set(rows.map((r) => r.attempt)).size > 1 ? columns : columns.filter((c) => c.key !== "attempt");
  if (format === "csv") {
    const lines = [shown.map((c) => csvField(c.key)), ...rows.map((r) => shown.map((c) => csvField(c.cell(r, true))))];
    return lines.map((cells) => cells.join(",")).join("\n") + "\n";
  }
  if (format === "markdown") {
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    return (
      [
        line(shown.map((c) => markdownCell(c.heading))),
        line(shown.map((c) => (c.right ? "---:" : ":---"))),
        ...rows.map((r) => line(shown.map((c) => markdownCell(c.cell(r, false))))),
      ].join("\n") + "\n"
    );
  }
  if (format === "latex") {
    const line = (cells: string[]) => `${cells.join(" & ")} \\\\`;
    return (
      [
        `\\begin{tabular}{${shown.map((c) => (c.right ? "r" : "l")).join("")}}`,
        "\\toprule",
        line(shown.map((c) => latexCell(c.heading))),
        "\\midrule",
        ...rows.map((r) => line(shown.map((c) => latexCell(c.cell(r, false))))),
        "\\bottomrule",
        "\\end{tabular}",
      ].join("\n") + "\n"
    );
  }
  throw new Error(`invalid format: ${String(format)} (expected "csv", "markdown" or "latex")`);
}

/** Keras' CSVLogger spellings for the non-finite values, so they read back in. */
function num(value: number | null, exact: boolean): string {
  if (value === null) return "";
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  // 4 significant digits tell 0.9949 from 0.9954 (Dice scores differ in the
  // third decimal) without the float noise of full precision.
  return exact ? String(value) : String(Number(value.toPrecision(4)));
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function markdownCell(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("|", "\\|");
}

// `_ % & #` are the characters metric names carry; the rest would break the
// table just as well, so they are escaped too.
const latexEscapes: Readonly<Record<string, string>> = {
  "\\": "\\textbackslash{}",
  "{": "\\{",
  "}": "\\}",
  $: "\\$",
  "&": "\\&",
  "#": "\\#",
  "%": "\\%",
  _: "\\_",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
};

function latexCell(text: string): string {
  return text.replace(/[\\{}$&#%_~^]/g, (c) => latexEscapes[c] ?? c);
}
