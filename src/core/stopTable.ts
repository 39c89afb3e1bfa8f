import { compareStrings, type Diagnostic } from "./diagnostics.ts";
import { metricDirection, type DirectionEntry } from "./direction.ts";
import { earlyStopping, epochNumbering, stopWords, type EpochNumbering, type StopMonitor, type StopPrecision, type StopSemantics, type StopSummary } from "./earlyStopping.ts";
import type { Format, Series, Split } from "./history.ts";
import { latexText } from "./latex.ts";

/** One line of the early-stopping table: one series under one patience. */
export interface StopRow extends StopSummary {
  /** The series name exactly as in the file, e.g. `"val_loss"`. */
  series: string;
  /** The metric without its split prefix, e.g. `"loss"`. */
  metric: string;
  split: Split;
  /** The attempt the series comes from (see `History.attempts`). */
  attempt: number;
  /** How the file numbers epochs: Keras prints `x + offset` (see `epochNumbering`). */
  numbering: EpochNumbering;
}

/** Settings of the early-stopping table. */
export interface StopTableOptions {
  /** Patiences to replay, one row each. Default `[0, 3, 10]`: none, Keras examples' 3, a lenient 10. */
  patience?: readonly number[];
  /** Passed to `earlyStopping` (default `0`, as in Keras). */
  minDelta?: number;
  /** Passed to `earlyStopping` (default `"keras3"`). */
  semantics?: StopSemantics;
  /** Passed to `earlyStopping` (default: the semantics' own, see `EarlyStoppingOptions`). */
  precision?: StopPrecision;
  /** Directions keyed by metric, as in `content/labels/metrics.yml`. */
  directions: Readonly<Record<string, DirectionEntry | undefined>>;
  /** Root-relative path of the history, for diagnostics. */
  file: string;
  /** The history's format, for how its epochs are numbered. Default: Keras' (0-based). */
  format?: Format | undefined;
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
    .toSorted((a, b) => compareStrings(a.metric, b.metric) || splitOrder[a.split] - splitOrder[b.split] || a.attempt - b.attempt);
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
        numbering: epochNumbering(options.format),
        ...earlyStopping(s, {
          mode: direction.mode,
          patience,
          ...(options.minDelta === undefined ? {} : { minDelta: options.minDelta }),
          ...(options.semantics === undefined ? {} : { semantics: options.semantics }),
          ...(options.precision === undefined ? {} : { precision: options.precision }),
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

// Epochs are given twice: as Keras prints them (1-based: "Epoch 10: early
// stopping") and as the CSV's `epoch` column holds them (0-based). CSV columns
// stay numeric: a stop that never happens is an empty cell and `status` says why.
const columns: readonly Column[] = [
  { key: "series", heading: "Series", right: false, cell: (r) => r.series },
  { key: "metric", heading: "Metric", right: false, cell: (r) => r.metric },
  { key: "split", heading: "Split", right: false, cell: (r) => r.split },
  { key: "attempt", heading: "Attempt", right: true, cell: (r) => String(r.attempt) },
  { key: "mode", heading: "Mode", right: false, cell: (r) => r.mode },
  { key: "min_delta", heading: "Min delta", right: true, cell: (r, e) => num(r.minDelta, e) },
  { key: "patience", heading: "Patience", right: true, cell: (r) => String(r.patience) },
  { key: "status", heading: "Status", right: false, cell: (r) => status(r) },
  { key: "stop_epoch", heading: "Stops after epoch", right: true, cell: (r) => shown(r.stoppedEpoch, r.numbering) },
  { key: "stop_epoch0", heading: "(CSV row epoch)", right: true, cell: (r) => asWritten(r.stoppedEpoch) },
  { key: "restored_epoch", heading: "Restores epoch", right: true, cell: (r) => shown(r.restoredEpoch, r.numbering) },
  { key: "restored_epoch0", heading: "(CSV row epoch)", right: true, cell: (r) => asWritten(r.restoredEpoch) },
  { key: "restored_value", heading: "Restored value", right: true, cell: (r, e) => num(r.restoredValue, e) },
  { key: "value_at_stop", heading: "At stop", right: true, cell: (r, e) => num(r.valueAtStop, e) },
  { key: "final_value", heading: "Final", right: true, cell: (r, e) => num(r.finalValue, e) },
  { key: "epochs_run", heading: "Run", right: true, cell: (r) => String(r.epochsRun) },
  { key: "epochs_saved", heading: "Saved", right: true, cell: (r) => String(r.epochsSaved) },
  { key: "gap_to_overall_best", heading: "Gap to best", right: true, cell: (r, e) => num(r.gapToOverallBest, e) },
  { key: "semantics", heading: "Rule", right: false, cell: (r) => r.semantics },
  { key: "precision", heading: "Precision", right: false, cell: (r) => r.precision },
];

/** `stops`, `never stops` (within the file) or `no values` (nothing to monitor). */
function status(r: StopSummary): string {
  return r.stoppedEpoch !== null ? "stops" : r.valuesSeen === 0 ? "no values" : "never stops";
}

/** The epoch as Keras prints it (1-based for 0-based files). */
const shown = (x: number | null, n: EpochNumbering) => (x === null ? "" : String(x + n.offset));
/** The epoch as the file writes it. */
const asWritten = (x: number | null) => (x === null ? "" : String(x));

/**
 * Writes the table as CSV (full precision, for downloads), GitHub markdown or
 * a LaTeX `tabular` with booktabs rules (values to 4 significant digits).
 * Epochs appear as Keras prints them (1-based) beside the CSV row's 0-based
 * epoch; a stop that never happens leaves both empty and `status` says
 * `never stops`, so every numeric column stays numeric.
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

/** A cell for LaTeX: metric names carry `_ % & #`; every special character is escaped (see latex.ts). */
function latexCell(text: string): string {
  return latexText(text);
}

/**
 * The one series the page speaks for: the first named one present when
 * `monitor` names series, else Keras' default `val_loss` when it is
 * monitored and present, else the first monitored validation row.
 */
export function primaryMonitor(rows: readonly StopRow[], monitor: StopMonitor = "validation"): string | null {
  const names = new Set(rows.map((r) => r.series));
  if (typeof monitor !== "string" || !["validation", "all", "none"].includes(monitor)) {
    const wanted = typeof monitor === "string" ? [monitor] : monitor;
    return wanted.find((n) => names.has(n)) ?? null;
  }
  if (monitor === "none") return null;
  if (names.has("val_loss")) return "val_loss";
  return rows.find((r) => r.split === "validation")?.series ?? null;
}

/** How a run ended, as far as the file tells. */
export interface RunEnd {
  /** `"stopped early"` only when known; otherwise `null`. */
  badge: "stopped early" | null;
  /** `ended at epoch 10 of 40 planned` when the run is shorter than planned but no stop explains it. */
  text: string | null;
  /** Why runsite believes the run stopped early (for a tooltip). */
  reason: string | null;
}

/**
 * Says "stopped early" only when it is known: the planned epochs are known
 * (the `E` token), the run has fewer, and EarlyStopping with the configured
 * settings stops at the file's last row of the monitored series (so Keras
 * ended training there and the file is complete, not still being written).
 * A shorter run that no stop explains (a crash, a manual stop, a file still
 * being written, other settings) reads `ended at epoch N of M planned`.
 */
export function runEnd(input: { rows: readonly StopRow[]; monitor?: StopMonitor; patience: number; epochsRun: number | null; epochsPlanned: number | null }): RunEnd {
  const { rows, epochsRun, epochsPlanned } = input;
  if (epochsRun === null || epochsPlanned === null || epochsRun >= epochsPlanned) return { badge: null, text: null, reason: null };
  const primary = primaryMonitor(rows, input.monitor);
  const lastAttempt = Math.max(-1, ...rows.map((r) => r.attempt));
  const row = rows.find((r) => r.series === primary && r.patience === input.patience && r.attempt === lastAttempt);
  if (row && row.stoppedEpoch !== null && row.stoppedEpoch === row.finalEpoch) {
    return {
      badge: "stopped early",
      text: null,
      reason: `EarlyStopping on ${row.series} (patience ${row.patience}, min_delta ${row.minDelta}) ${stopWords(row, row.numbering)}: the file's last row`,
    };
  }
  return { badge: null, text: `ended at epoch ${epochsRun} of ${epochsPlanned} planned`, reason: null };
}

/** The rule's name as the page gives it. */
export const semanticsNames: Readonly<Record<StopSemantics, string>> = {
  keras3: "Keras ≥ 3.7",
  "keras3.6": "Keras 3.0–3.6 / tf-keras 2.x",
  tf2: "tf.keras of TensorFlow 2.4–2.5",
};

// Formats whose trainers bring their own early-stopping callback. runsite
// replays Keras' rule on them too, and says so; docs/early-stopping.md
// compares the rules.
const ownCallbacks: Partial<Readonly<Record<Format, string>>> = {
  lightning:
    "PyTorch Lightning's own EarlyStopping differs: it starts from ±inf, counts the wait only on epochs that do not improve, stops at once on a NaN or infinite value (check_finite), and restores no weights",
  huggingface:
    "Hugging Face's EarlyStoppingCallback differs: it counts evaluations (not epochs) whose metric does not beat the trainer's best_metric by more than early_stopping_threshold, and restores nothing itself (load_best_model_at_end does)",
};

/** For a format whose trainer has its own early-stopping callback: how it differs from the Keras rule runsite applies; else `null`. */
export function ownCallbackNote(format: Format | null | undefined): string | null {
  return (format && ownCallbacks[format]) ?? null;
}
