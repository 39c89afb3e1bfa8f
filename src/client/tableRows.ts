import { missingValue, type TableState } from "./tableState.ts";

/** What a row of the experiment table carries in its `data-*` attributes. */
export interface RowData {
  /** Position in archive order: the tie-break, so sorting is stable. */
  index: number;
  /** Column key → raw value, `null` when the row has none. */
  values: Record<string, string | null>;
  /** Lower-case text searched by the free-text filter. */
  search: string;
}

/** How a column compares. */
export type ColumnType = "text" | "number";

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

/** Rows sorted by one column (stable; archive order breaks ties), or in archive order for `null`. */
export function sortRows<T extends RowData>(rows: readonly T[], key: string | null, type: ColumnType, dir: "asc" | "desc"): T[] {
  return [...rows].sort((a, b) => (key === null ? 0 : compareValues(a.values[key], b.values[key], type, dir)) || a.index - b.index);
}

/**
 * True when a row passes the filters: each column filter (numbers compare as
 * numbers, so `DR=40` matches `40.0`; {@link missingValue} matches rows without
 * a value) and every word of the free text.
 */
export function matchesRow(row: RowData, state: Pick<TableState, "q" | "filters">, types: Readonly<Record<string, ColumnType>>): boolean {
  for (const [key, wanted] of Object.entries(state.filters)) {
    const value = row.values[key] ?? null;
    if (wanted === missingValue) {
      if (value !== null) return false;
    } else if (value === null) return false;
    else if (types[key] === "number" ? numberOf(value) !== numberOf(wanted) : value !== wanted) return false;
  }
  const words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
  return words.every((w) => row.search.includes(w));
}

/**
 * The distinct values of a column, in sort order, with {@link missingValue}
 * last when some row has none: the options of its filter.
 */
export function distinctValues(rows: readonly RowData[], key: string, type: ColumnType): string[] {
  const values = new Map<string, string>();
  let anyMissing = false;
  for (const row of rows) {
    const v = row.values[key] ?? null;
    if (v === null) anyMissing = true;
    // Numbers are keyed by value, so `40` and `40.0` are one option, written the canonical way.
    else if (type === "number") values.set(String(numberOf(v) ?? v), String(numberOf(v) ?? v));
    else values.set(v, v);
  }
  const sorted = [...values.values()].sort((a, b) => compareValues(a, b, type, "asc"));
  return anyMissing ? [...sorted, missingValue] : sorted;
}
