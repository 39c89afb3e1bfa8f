/**
 * The view of an experiment table that the URL keeps, so that a filtered,
 * sorted view can be linked: `?sort=val_vsat_dice&dir=desc&DR=40&q=attention&group=0&page=2`.
 * Pure: runs in the browser and in Node tests alike.
 */
export interface TableState {
  /** Column key sorted by, or `null` for archive order. */
  sort: string | null;
  /** Sort direction; `asc` unless the URL says `desc`. */
  dir: "asc" | "desc";
  /** Free text; every word must occur in a row (case-insensitive). */
  q: string;
  /** Rows shown under their date; `group=0` turns it off. */
  group: boolean;
  /** Column key → the value rows must have; {@link missingValue} selects rows without one. */
  filters: Record<string, string>;
  /** The page of matching rows shown, from 1. */
  page: number;
}

/** The filter value that selects rows where a column has no value (e.g. no `DR` token). */
export const missingValue = "-";

/** The archive's own view: archive order, grouped by date, nothing filtered. */
export const defaultState: TableState = { sort: null, dir: "asc", q: "", group: true, filters: {}, page: 1 };

/**
 * Reads the table state from a query string. Only `sortKeys` can be sorted by
 * and only `filterKeys` filter; other parameters are ignored, so a link that
 * names a column this table lacks still opens.
 *
 * @example parseTableState("?sort=DR&dir=desc&DR=40", {sortKeys: ["DR"], filterKeys: ["DR"]})
 */
export function parseTableState(search: string, keys: { sortKeys: readonly string[]; filterKeys: readonly string[] }): TableState {
  const params = new URLSearchParams(search);
  const sort = params.get("sort");
  const filters: Record<string, string> = {};
  for (const key of keys.filterKeys) {
    const value = params.get(key);
    if (value !== null && value !== "") filters[key] = value;
  }
  return {
    sort: sort !== null && keys.sortKeys.includes(sort) ? sort : null,
    dir: params.get("dir") === "desc" ? "desc" : "asc",
    q: (params.get("q") ?? "").trim(),
    group: params.get("group") !== "0",
    filters,
    page: pageNumber(params.get("page")),
  };
}

/**
 * Writes the table state as a query string: sort and direction, filters in
 * `filterKeys` order, text, grouping; defaults are left out, and the default
 * view is the empty string.
 */
export function formatTableState(state: TableState, filterKeys: readonly string[]): string {
  const params = new URLSearchParams();
  if (state.sort !== null) {
    params.set("sort", state.sort);
    params.set("dir", state.dir);
  }
  for (const key of filterKeys) {
    const value = state.filters[key];
    if (value !== undefined && value !== "") params.set(key, value);
  }
  if (state.q !== "") params.set("q", state.q);
  if (!state.group) params.set("group", "0");
  if (state.page > 1) params.set("page", String(state.page));
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** A page number from the URL: a whole number from 1, else 1 (a page past the end shows the last). */
function pageNumber(text: string | null): number {
  const n = Number(text);
  return text !== null && Number.isSafeInteger(n) && n >= 1 ? n : 1;
}
