import { metricLabel, type MetricLabels } from "./labels.ts";
import type { StopRow } from "./stopTable.ts";
import { latexText } from "./latex.ts";

/** Settings of the paper table (see `formatPaperTable`). */
export interface PaperTableOptions {
  /** The patience shown: one row per series at this patience (the figure's, `earlyStopping.patience`). */
  patience: number;
  /** Panel titles by metric (`content/labels/metrics.yml`); a metric without one shows as itself. */
  labels: MetricLabels;
  /** What the table is about, in the caption: the experiment's title. */
  title: string;
  /** Makes the LaTeX label `tab:early-stopping:<key>` (and the Markdown anchor): the citation key, e.g. the stem. */
  key: string;
  /**
   * Added to the history's epochs to count them as Keras prints them: `1` for
   * files with 0-based epochs (Keras, Lightning, fastai, TensorBoard), `0`
   * for files that count completed epochs (Ultralytics, Hugging Face).
   */
  epochOffset: number;
  /** Keras' rule replayed, named in the caption: `"keras3"` or `"tf2"`. */
  semantics: string;
}

/** One numeric column of the paper table (the metric's label comes first). */
interface PaperColumn {
  heading: string;
  /** The number shown, or `null` for none (a run that does not stop). */
  value: (row: StopRow) => number | null;
}

/**
 * The early-stopping table for a paper, as LaTeX or Markdown: one row per
 * monitored series (validation series when there are any, else training) at
 * one patience, with readable metric labels, epochs counted as Keras prints
 * them, and values rounded to 4 significant digits with the same decimals
 * down each column, so that they align.
 *
 * LaTeX: a `table` float with `\caption` and `\label`, a `tabular` with
 * booktabs rules and siunitx `S` columns aligned on the decimal point (the
 * preamble needs `\usepackage{booktabs}` and `\usepackage{siunitx}`, which
 * the first lines say). Markdown: a pipe table followed by Pandoc's
 * `Table: caption {#tab:…}` line (pandoc-crossref reads the label).
 *
 * @example formatPaperTable(rows, "latex", {patience: 3, labels, title: "U-Net, …", key: "unet_…_DR40", epochOffset: 1, semantics: "keras3"})
 */
export function formatPaperTable(rows: readonly StopRow[], format: "latex" | "markdown", options: PaperTableOptions): string {
  const atPatience = rows.filter((r) => r.patience === options.patience);
  const lastAttempt = Math.max(...atPatience.map((r) => r.attempt), 0);
  const current = atPatience.filter((r) => r.attempt === lastAttempt);
  // Metrics in the label table's order (the figure's panels), then by name.
  const known = Object.keys(options.labels);
  const rank = (metric: string) => (known.includes(metric) ? known.indexOf(metric) : known.length);
  const validation = current.filter((r) => r.split === "validation");
  const shown = (validation.length > 0 ? validation : current).toSorted((a, b) => rank(a.metric) - rank(b.metric) || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  const split = validation.length > 0 ? "validation" : "training";
  const epoch = (x: number | null) => (x === null ? null : x + options.epochOffset);
  const columns: PaperColumn[] = [
    { heading: "Stops", value: (r) => epoch(r.stoppedEpoch) },
    // What restore_best_weights leaves in the model (not always the best epoch: see StopSummary.restoredEpoch).
    { heading: "Restores", value: (r) => epoch(r.restoredEpoch) },
    { heading: "Restored", value: (r) => r.restoredValue },
    { heading: "Final", value: (r) => r.finalValue },
    { heading: "Saved", value: (r) => r.epochsSaved },
  ];
  // Epochs are whole; values keep 4 significant digits each (a loss of 0.004782 beside a Dice score of 0.9923), aligned on the point by siunitx.
  const cells = shown.map((r) => columns.map((c, i) => formatNumber(c.value(r), i === 2 || i === 3 ? significantDecimals(c.value(r)) : 0)));
  const arrow = (r: StopRow) => (r.mode === "min" ? "↓" : "↑");
  const names = shown.map((r) => `${metricLabel(r.metric, options.labels)} ${arrow(r)}`);
  const minDelta = shown[0]?.minDelta ?? 0;
  const rule = options.semantics === "tf2" ? "tf.keras 2.x" : "Keras 3";
  const caption =
    `Early stopping replayed on ${options.title}: keras.callbacks.EarlyStopping (${rule} rule) on each ${split} metric, ` +
    `patience ${options.patience}, min_delta ${minDelta}, restore_best_weights: the epoch after which training stops, ` +
    `the epoch whose weights are restored and their value, the value at the last epoch run, and the epochs saved. ` +
    `Epochs are counted as Keras prints them${options.epochOffset === 1 ? " (from 1)" : ""}; — marks a run that does not stop, or that keeps its last weights. ` +
    `↑ higher is better, ↓ lower is better.`;
  const label = `tab:early-stopping:${options.key.replace(/[^A-Za-z0-9:._-]+/g, "-")}`;
  if (format === "markdown") {
    const line = (row: string[]) => `| ${row.join(" | ")} |`;
    return (
      [
        line(["Metric", ...columns.map((c) => c.heading)]),
        line([":---", ...columns.map(() => "---:")]),
        ...shown.map((_, i) => line([markdownCell(names[i]!), ...cells[i]!.map((c) => c ?? "—")])),
        "",
        `Table: ${markdownCell(caption)} {#${label}}`,
      ].join("\n") + "\n"
    );
  }
  const formats = columns.map((_, i) => tableFormat(cells.map((row) => row[i] ?? null)));
  const row = (items: string[]) => `    ${items.join(" & ")} \\\\`;
  return (
    [
      "% Early-stopping table written by runsite. Preamble: \\usepackage{booktabs} \\usepackage{siunitx}",
      "\\begin{table}",
      "  \\centering",
      "  \\small",
      "  \\setlength{\\tabcolsep}{4pt}",
      `  \\caption{${latexText(caption)}}`,
      `  \\label{${label}}`,
      `  \\begin{tabular}{l ${formats.map((f) => `S[table-format=${f}]`).join(" ")}}`,
      "    \\toprule",
      row(["Metric", ...columns.map((c) => `{${latexText(c.heading)}}`)]),
      "    \\midrule",
      ...shown.map((_, i) => row([latexText(names[i]!), ...cells[i]!.map((c) => (c === null ? "{---}" : /^-?\d/.test(c) ? c : `{${latexText(c)}}`))])),
      "    \\bottomrule",
      "  \\end{tabular}",
      "\\end{table}",
    ].join("\n") + "\n"
  );
}

/** Decimals that give a value 4 significant digits (0.9923 → 4, 0.004782 → 6, 123.4 → 1, 12345 → 0), at most 8. */
export function significantDecimals(value: number | null): number {
  if (value === null || !Number.isFinite(value) || value === 0) return 0;
  return Math.min(8, Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value)))));
}

function formatNumber(value: number | null, decimals: number): string | null {
  if (value === null) return null;
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  return value.toFixed(decimals);
}

/** siunitx's `table-format` for a column: the widest integer part and decimals, a sign when any value is negative. */
function tableFormat(cells: ReadonlyArray<string | null>): string {
  const numbers = cells.filter((c): c is string => c !== null && /^-?\d/.test(c));
  const integers = Math.max(1, ...numbers.map((c) => c.replace(/^-/, "").split(".")[0]!.length));
  const decimals = Math.max(0, ...numbers.map((c) => c.split(".")[1]?.length ?? 0));
  const sign = numbers.some((c) => c.startsWith("-")) ? "-" : "";
  return `${sign}${integers}.${decimals}`;
}

function markdownCell(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("|", "\\|");
}
