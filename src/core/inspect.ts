import type { Diagnostic } from "./diagnostics.ts";
import type { EpochNumbering, StopMode, StopPrecision, StopSemantics } from "./earlyStopping.ts";
import type { Format, History, Series } from "./history.ts";
import type { MetricLabels } from "./labels.ts";
import type { StopRow } from "./stopTable.ts";

/** A number as JSON can carry it: `null` for missing, strings for non-finite values. */
export type JsonNumber = number | null | "NaN" | "Infinity" | "-Infinity";

/** The shape's version: 2 stores the early-stopping replay once per series (1 wrote one verbose object per row). */
export const inspectVersion = 2;

/**
 * The early-stopping replay of every series, once per series: the settings
 * shared by every row once, and per series one array entry per patience (in
 * `patience` order). `stop`, `best` and `restored` are indices into the
 * series' `x`/`y` (`null` for none): the epoch is `x[i]` as the file writes it
 * (Keras prints it + `numbering.offset`), the value `y[i]`. Everything else
 * of a row follows from them (see `stopRows`): the final epoch and value are
 * the series' last, `epochsRun` is `stop + 1` (all of them when it never
 * stops), `epochsSaved` the entries after the stop.
 */
export interface EarlyStoppingDocument {
  minDelta: number;
  semantics: StopSemantics;
  precision: StopPrecision;
  /** How the file numbers epochs: Keras prints `x + offset`; `source` names the file's own number. */
  numbering: EpochNumbering;
  /** The patiences replayed, in the order of each series' arrays. */
  patience: number[];
  series: {
    /** Index into the document's `series`. */
    series: number;
    mode: StopMode;
    /** Where training stops (index), per patience; `null`: it never stops within the file. */
    stop: (number | null)[];
    /** The last epoch that improved up to the stop (index), per patience. */
    best: (number | null)[];
    /** The epoch `restore_best_weights` leaves in the model (index), per patience. */
    restored: (number | null)[];
    /** Values monitored up to the stop (0: `no values`), per patience. */
    seen: number[];
    /** How much worse the restored value is than the series' best, per patience. */
    gap: JsonNumber[];
  }[];
}

/** What the paper table (`formatPaperTable`) needs beyond the rows: the site's settings for this experiment. */
export interface PaperDocument {
  /** The figure's patience: the table's rows. */
  patience: number;
  /** The experiment's title, in the caption. */
  title: string;
  /** The citation key, in the label. */
  key: string;
  /** Labels of this history's metrics, in the label table's order (which orders the rows). */
  labels: Record<string, { label: string }>;
}

/**
 * The machine-readable view of one history (`runsite inspect --json`, and the
 * site's one derived download per experiment, `downloads/<slug>/history.json`),
 * version 2. Written without indentation. The site's figure, early-stopping
 * CSV and paper tables are made from it (and the page) in the browser.
 */
export interface InspectDocument {
  version: typeof inspectVersion;
  file: string;
  format: Format | null;
  series: { name: string; metric: string; split: string; axis: string; role: string; attempt: number; x: number[]; y: JsonNumber[] }[];
  attempts: History["attempts"];
  resumes: History["resumes"];
  /** `null` when no series was replayed (no metric of known direction on the epoch axis). */
  earlyStopping: EarlyStoppingDocument | null;
  /** Only in the site's `history.json`: the settings of the paper table. */
  paper?: PaperDocument;
  diagnostics: Diagnostic[];
}

/** JSON has no NaN or Infinity: they travel as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`. */
export function jsonNumber(v: number | null): JsonNumber {
  if (v === null) return null;
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  return v;
}

/** The number a `JsonNumber` stands for. */
export function fromJsonNumber(v: JsonNumber): number | null {
  return typeof v === "string" ? Number(v) : v;
}

/**
 * The inspect document of a history: its series with epochs as in the file,
 * `null` for missing cells and strings for non-finite ones, the
 * early-stopping rows (once per series, see `EarlyStoppingDocument`) and the
 * diagnostics. The same document is the experiment page's `history.json`
 * download, so the page and the command line cannot disagree.
 */
export function inspectDocument(file: string, history: History | null, rows: readonly StopRow[], diagnostics: readonly Diagnostic[], paper?: PaperDocument): InspectDocument {
  const series = history?.series ?? [];
  return {
    version: inspectVersion,
    file,
    format: history?.format ?? null,
    series: series.map((s) => ({
      name: s.name,
      metric: s.metric,
      split: s.split,
      axis: s.axis,
      role: s.role,
      attempt: s.attempt,
      x: [...s.x],
      y: s.y.map(jsonNumber),
    })),
    attempts: history?.attempts ?? [],
    resumes: history?.resumes ?? [],
    earlyStopping: earlyStoppingDocument(series, rows),
    ...(paper === undefined ? {} : { paper }),
    diagnostics: [...diagnostics],
  };
}

function earlyStoppingDocument(series: readonly Series[], rows: readonly StopRow[]): EarlyStoppingDocument | null {
  const first = rows[0];
  if (first === undefined) return null;
  // Rows come from one stopTable call: one patience grid, one numbering and one set of settings.
  const patience = [...new Set(rows.map((r) => r.patience))];
  const groups = new Map<number, StopRow[]>();
  for (const row of rows) {
    const index = series.findIndex((s) => s.name === row.series && s.attempt === row.attempt && s.axis === "epoch" && s.role === "metric");
    if (index < 0) throw new Error(`early-stopping row of unknown series ${JSON.stringify(row.series)} (attempt ${row.attempt})`);
    groups.set(index, [...(groups.get(index) ?? []), row]);
  }
  return {
    minDelta: first.minDelta,
    semantics: first.semantics,
    precision: first.precision,
    numbering: { offset: first.numbering.offset, source: first.numbering.source },
    patience,
    series: [...groups].map(([index, group]) => {
      const s = series[index]!;
      const at = (epoch: number | null, value: number | null): number | null => (epoch === null ? null : indexOf(s, epoch, value));
      const byPatience = patience.map((p) => {
        const row = group.find((r) => r.patience === p);
        if (row === undefined) throw new Error(`early-stopping rows of ${s.name} miss patience ${p}`);
        return row;
      });
      return {
        series: index,
        mode: group[0]!.mode,
        // Training stops at the end of entry `epochsRun - 1`.
        stop: byPatience.map((r) => (r.stoppedEpoch === null ? null : r.epochsRun - 1)),
        best: byPatience.map((r) => at(r.bestEpoch, r.bestValue)),
        restored: byPatience.map((r) => at(r.restoredEpoch, r.restoredValue)),
        seen: byPatience.map((r) => r.valuesSeen),
        gap: byPatience.map((r) => jsonNumber(r.gapToOverallBest)),
      };
    }),
  };
}

/** The entry of `series` at `epoch` holding `value` (an epoch may repeat within a series, e.g. a resume). */
function indexOf(series: Series, epoch: number, value: number | null): number {
  const same = (a: number | null, b: number | null) => a === b || (Number.isNaN(a) && Number.isNaN(b));
  const index = series.x.findIndex((x, i) => x === epoch && same(series.y[i]!, value));
  if (index < 0) throw new Error(`epoch ${epoch} of ${series.name} not in the series`);
  return index;
}

/**
 * The early-stopping rows a document holds, exactly as `stopTable` made them
 * (the inverse of `inspectDocument`): what the browser needs to write the
 * CSV and the paper tables with the same functions as the command line.
 */
export function stopRows(doc: Pick<InspectDocument, "series" | "earlyStopping">): StopRow[] {
  const stops = doc.earlyStopping;
  if (stops === null) return [];
  return stops.series.flatMap((entry) => {
    const s = doc.series[entry.series]!;
    const y = s.y.map(fromJsonNumber);
    const n = s.x.length;
    const epoch = (i: number | null) => (i === null ? null : s.x[i]!);
    const value = (i: number | null) => (i === null ? null : y[i]!);
    return stops.patience.map((patience, k): StopRow => {
      const stop = entry.stop[k]!;
      return {
        series: s.name,
        metric: s.metric,
        split: s.split as StopRow["split"],
        attempt: s.attempt,
        numbering: { offset: stops.numbering.offset, source: stops.numbering.source },
        mode: entry.mode,
        minDelta: stops.minDelta,
        patience,
        semantics: stops.semantics,
        precision: stops.precision,
        stoppedEpoch: epoch(stop),
        bestEpoch: epoch(entry.best[k]!),
        bestValue: value(entry.best[k]!),
        restoredEpoch: epoch(entry.restored[k]!),
        restoredValue: value(entry.restored[k]!),
        valueAtStop: value(stop),
        finalEpoch: n === 0 ? null : s.x[n - 1]!,
        finalValue: n === 0 ? null : y[n - 1]!,
        valuesSeen: entry.seen[k]!,
        epochsRun: stop === null ? n : stop + 1,
        epochsSaved: stop === null ? 0 : n - stop - 1,
        gapToOverallBest: fromJsonNumber(entry.gap[k]!),
      };
    });
  });
}

/** The paper table's labels for a document: those of its metrics, in the label table's order. */
export function paperLabels(labels: MetricLabels, metrics: ReadonlySet<string>): Record<string, { label: string }> {
  return Object.fromEntries(Object.entries(labels).flatMap(([metric, entry]) => (metrics.has(metric) ? [[metric, { label: entry.label }]] : [])));
}
