import type { ComparedRun } from "../core/comparisonFigure.ts";
import type { InspectDocument } from "../core/inspect.ts";

/**
 * A run's `history.json` download (the `inspect --json` document), fetched
 * from the site, or `null` when it is missing or unreadable. The browser's
 * one way to a run's values (the compare views); read it with
 * `historyFromDownload`, which uses only the fields the figures need.
 */
export async function fetchHistoryDownload(base: string, slug: string): Promise<InspectDocument | null> {
  const response = await fetch(`${base}downloads/${slug.split("/").map(encodeURIComponent).join("/")}/history.json`).catch(() => null);
  if (response === null || !response.ok) return null;
  return (await response.json().catch(() => null)) as InspectDocument | null;
}

/**
 * The part of a run's `history.json` (`InspectDocument`) a comparison figure
 * needs, as the build holds it: values that JSON cannot carry (`"NaN"`,
 * `"Infinity"`) back to numbers. The only reader of that file here: its
 * other fields may change shape. Without `attempts`, the attempts are those
 * the series name.
 */
export function historyFromDownload(doc: Pick<InspectDocument, "series" | "format"> & { attempts?: InspectDocument["attempts"] }): ComparedRun["history"] {
  const series = doc.series.map((s) => ({
    ...s,
    split: s.split as ComparedRun["history"]["series"][number]["split"],
    axis: s.axis as ComparedRun["history"]["series"][number]["axis"],
    role: s.role as ComparedRun["history"]["series"][number]["role"],
    y: s.y.map((v) => (v === null ? null : Number(v))),
  }));
  const last = Math.max(-1, ...series.map((s) => s.attempt));
  const attempts = Array.isArray(doc.attempts) ? doc.attempts : Array.from({ length: last + 1 }, (_, index) => ({ index, line: 0, firstEpoch: 0, lastEpoch: 0, rows: 0 }));
  return { series, attempts, format: doc.format ?? "keras" };
}
