import type { Diagnostic } from "./diagnostics.ts";
import { stopWords } from "./earlyStopping.ts";
import type { StopRow } from "./stopTable.ts";
import type { Format, History } from "./history.ts";

/** A number as JSON can carry it: `null` for missing, strings for non-finite values. */
export type JsonNumber = number | null | "NaN" | "Infinity" | "-Infinity";

/** The machine-readable view of one history (`runsite inspect --json`, `history.json`). */
export interface InspectDocument {
  file: string;
  format: Format | null;
  series: { name: string; metric: string; split: string; axis: string; role: string; attempt: number; x: number[]; y: JsonNumber[] }[];
  attempts: History["attempts"];
  resumes: History["resumes"];
  /**
   * One entry per series and patience. Epoch fields ending in `0` hold the
   * file's own epoch (Keras' CSVLogger counts from 0; Keras prints it + 1);
   * `words` says the same as users read it in Keras' log.
   */
  earlyStopping: {
    series: string;
    split: string;
    attempt: number;
    mode: string;
    minDelta: number;
    patience: number;
    semantics: string;
    precision: string;
    /** `stops`, `never stops` (within the file) or `no values`. */
    status: string;
    stoppedEpoch0: number | null;
    restoredEpoch0: number | null;
    restoredValue: JsonNumber;
    bestEpoch0: number | null;
    bestValue: JsonNumber;
    valueAtStop: JsonNumber;
    finalEpoch0: number | null;
    finalValue: JsonNumber;
    epochsSaved: number;
    gapToOverallBest: JsonNumber;
    /** E.g. `stops after epoch 10 (CSV row epoch 9), restores epoch 7 (CSV row epoch 6)`. */
    words: string;
  }[];
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

/**
 * The inspect document of a history: its series with epochs as in the file,
 * `null` for missing cells and strings for non-finite ones, the
 * early-stopping rows and the diagnostics. The same document is the
 * experiment page's `history.json` download, so the page and the command
 * line cannot disagree.
 */
export function inspectDocument(file: string, history: History | null, rows: readonly StopRow[], diagnostics: readonly Diagnostic[]): InspectDocument {
  return {
    file,
    format: history?.format ?? null,
    series: (history?.series ?? []).map((s) => ({
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
    earlyStopping: rows.map((r) => ({
      series: r.series,
      split: r.split,
      attempt: r.attempt,
      mode: r.mode,
      minDelta: r.minDelta,
      patience: r.patience,
      semantics: r.semantics,
      precision: r.precision,
      status: r.stoppedEpoch !== null ? "stops" : r.valuesSeen === 0 ? "no values" : "never stops",
      stoppedEpoch0: r.stoppedEpoch,
      restoredEpoch0: r.restoredEpoch,
      restoredValue: jsonNumber(r.restoredValue),
      bestEpoch0: r.bestEpoch,
      bestValue: jsonNumber(r.bestValue),
      valueAtStop: jsonNumber(r.valueAtStop),
      finalEpoch0: r.finalEpoch,
      finalValue: jsonNumber(r.finalValue),
      epochsSaved: r.epochsSaved,
      gapToOverallBest: jsonNumber(r.gapToOverallBest),
      words: stopWords(r, r.numbering),
    })),
    diagnostics: [...diagnostics],
  };
}
