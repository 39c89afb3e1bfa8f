import type { Column, ExperimentTableModel } from "../core/experimentTable.ts";
import { type Field, type RunIndex, significant } from "../core/runIndex.ts";
import { missingValue, type TableState } from "./tableState.ts";

/** How a column compares. */
export type ColumnType = "text" | "number";

/**
 * The runs of `/runs.json`, decoded: per column, one entry per row. Values are
 * raw strings (`String(number)` for numbers, as the CSV has them), `null` when
 * missing; texts are what a cell shows.
 */
export interface RunRows {
  columns: Column[];
  count: number;
  slugs: string[];
  groups: string[];
  values: (string | null)[][];
  texts: string[][];
  notes: (string | null)[][];
  titles: (string | null)[][];
  paths: (string | null)[][];
  /** Lower-case text the free-text filter searches per row: the names shown and their descriptions. */
  search: string[];
}

/** Decodes `/runs.json` (see core/runIndex.ts). */
export function decodeRunIndex(index: RunIndex): RunRows {
  let slugs: string[] = [];
  const field = (f: Field | undefined, values: readonly (string | null)[]): (string | null)[] => {
    if (f === undefined) return new Array<string | null>(slugs.length).fill(null);
    if ("list" in f) return f.list.map((v) => (v === null ? null : String(v)));
    if ("dict" in f) return f.at.map((i) => (i < 0 ? null : f.dict[i]!));
    if ("words" in f) return f.parts.map((p) => (p === null ? null : p.map((i) => f.words[i]!).join(f.sep)));
    if ("byValue" in f) return values.map((v) => (v !== null && Object.hasOwn(f.byValue, v) ? f.byValue[v]! : null));
    if ("significant" in f) return values.map((v) => significant(v, f.significant));
    if ("slugEnd" in f) return slugs.map((slug) => slug.slice(slug.lastIndexOf("/") + 1));
    return slugs.map((slug) => `experiments/${slug}/`);
  };
  slugs = field(index.slugs, []).map((s) => s ?? "");
  const count = slugs.length;
  const values = index.cells.map((c) => field(c.value, []));
  const texts = index.cells.map((c, k) => (c.text === undefined ? values[k]!.map((v) => v ?? "—") : field(c.text, values[k]!).map((t) => t ?? "—")));
  const notes = index.cells.map((c, k) => field(c.note, values[k]!));
  const titles = index.cells.map((c, k) => field(c.title, values[k]!));
  const paths = index.cells.map((c, k) => field(c.path, values[k]!));
  const textColumns = index.columns.flatMap((c, k) => (c.type === "text" ? [k] : []));
  const search = slugs.map((_, i) =>
    textColumns
      .flatMap((k) => [texts[k]![i]!, titles[k]![i] ?? ""])
      .join(" ")
      .toLowerCase(),
  );
  return { columns: index.columns, count, slugs, groups: field(index.groups, []).map((g) => g ?? "undated"), values, texts, notes, titles, paths, search };
}

/** The same rows from a table model: what a test compares `/runs.json` with. */
export function rowsOfModel(table: ExperimentTableModel): Omit<RunRows, "search"> {
  const rows = table.groups.flatMap((g) => g.rows);
  const per = <T>(f: (cell: ExperimentTableModel["groups"][number]["rows"][number]["cells"][number]) => T) => table.columns.map((_, k) => rows.map((r) => f(r.cells[k]!)));
  return {
    columns: table.columns,
    count: rows.length,
    slugs: rows.map((r) => r.slug),
    groups: rows.map((r) => r.group),
    values: per((c) => c.value),
    texts: per((c) => c.text),
    notes: per((c) => c.note ?? null),
    titles: per((c) => c.title ?? null),
    paths: per((c) => c.path ?? null),
  };
}

// Numeric-aware, so `N48` sorts before `N204`; a fixed locale keeps the order the same on every machine.
const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** A number for a raw value, or `null` when it is missing or not finite. */
export function numberOf(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * Compares two raw values of one column in the given direction. Missing values
 * (and non-finite numbers) come last in both directions, so that the best
 * runs are on top whichever way a metric is sorted.
 */
export function compareValues(a: string | null | undefined, b: string | null | undefined, type: ColumnType, dir: "asc" | "desc"): number {
  const x = type === "number" ? numberOf(a) : a || null;
  const y = type === "number" ? numberOf(b) : b || null;
  if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
  const order = typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x), String(y));
  return dir === "asc" ? order : -order;
}

/**
 * A sort key per row of one column, computed once per column: numbers as
 * numbers, text as its rank among the column's distinct values (so the
 * collator runs once per distinct value, not per comparison); `NaN` when
 * missing.
 */
export function sortKeys(values: readonly (string | null)[], type: ColumnType): Float64Array {
  const keys = new Float64Array(values.length);
  if (type === "number") {
    for (const [i, v] of values.entries()) keys[i] = numberOf(v) ?? Number.NaN;
    return keys;
  }
  const distinct = [...new Set(values.filter((v): v is string => v !== null && v !== ""))].sort((a, b) => collator.compare(a, b));
  const rank = new Map<string, number>();
  // Values the collator finds equal (case, accents) share a rank, as compareValues finds them equal.
  for (const [i, v] of distinct.entries()) rank.set(v, i > 0 && collator.compare(distinct[i - 1]!, v) === 0 ? rank.get(distinct[i - 1]!)! : i);
  for (const [i, v] of values.entries()) keys[i] = v === null || v === "" ? Number.NaN : rank.get(v)!;
  return keys;
}

/**
 * Row indexes sorted by a column's keys (stable: archive order breaks ties;
 * missing keys last in both directions), or in archive order for `null`.
 */
export function sortOrder(rows: readonly number[], keys: Float64Array | null, dir: "asc" | "desc"): number[] {
  if (keys === null) return [...rows].sort((a, b) => a - b);
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = keys[a]!;
    const y = keys[b]!;
    if (x !== y) {
      if (Number.isNaN(x)) return Number.isNaN(y) ? a - b : 1;
      if (Number.isNaN(y)) return -1;
      return sign * (x - y);
    }
    return a - b;
  });
}

/**
 * A test of one row against the filters: each column filter (numbers compare
 * as numbers, so `DR=40` matches `40.0`; {@link missingValue} matches rows
 * without a value) and every word of the free text.
 */
export function rowFilter(rows: Pick<RunRows, "columns" | "values" | "search">, state: Pick<TableState, "q" | "filters">): (row: number) => boolean {
  const tests = Object.entries(state.filters).map(([key, wanted]) => {
    const k = rows.columns.findIndex((c) => c.key === key);
    const values = rows.values[k] ?? [];
    const number = rows.columns[k]?.type === "number";
    const target = numberOf(wanted);
    return (i: number) => {
      const value = values[i] ?? null;
      if (wanted === missingValue) return value === null;
      if (value === null) return false;
      return number ? numberOf(value) === target : value === wanted;
    };
  });
  const words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
  return (i) => tests.every((t) => t(i)) && words.every((w) => rows.search[i]!.includes(w));
}

/**
 * The distinct values of a column, in sort order, with {@link missingValue}
 * last when some row has none: the options of its filter.
 */
export function distinctValues(values: readonly (string | null)[], type: ColumnType): string[] {
  const found = new Set<string>();
  let anyMissing = false;
  for (const v of values) {
    if (v === null) anyMissing = true;
    // Numbers are keyed by value, so `40` and `40.0` are one option, written the canonical way.
    else found.add(type === "number" ? String(numberOf(v) ?? v) : v);
  }
  const sorted = [...found].sort((a, b) => compareValues(a, b, type, "asc"));
  return anyMissing ? [...sorted, missingValue] : sorted;
}
