import type { Column, ExperimentTableModel } from "./experimentTable.ts";

/**
 * One field of every row of a column, written compactly:
 * - `list`: one entry per row (`null` when missing),
 * - `dict` + `at`: distinct strings once, then an index per row (`-1` when missing),
 * - `sep` + `words` + `parts`: strings cut at `sep` (a title at ", ", a slug at "/"),
 *   each part written once, then per row its parts' indexes (`null` when missing),
 * - `byValue`: a function of the row's value (a model's description, a date's page),
 * - `experiment`: the row's experiment page (`experiments/<slug>/`),
 * - `slugEnd`: the last segment of the row's slug (its run name),
 * - `significant`: the row's value to that many significant digits (as core/figures.ts `formatValue`).
 */
export type Field =
  | { list: (string | number | null)[] }
  | { dict: string[]; at: number[] }
  | { sep: string; words: string[]; parts: (number[] | null)[] }
  | { byValue: Record<string, string> }
  | { experiment: true }
  | { slugEnd: true }
  | { significant: number };

/** The cells of one column. `text` left out means the value (or `—` when missing); other fields left out mean none. */
export interface ColumnCells {
  value: Field;
  text?: Field;
  note?: Field;
  title?: Field;
  path?: Field;
}

/**
 * Every run of the archive as the browser's experiment table needs it
 * (`/runs.json`): column by column, not one object per row, so that no key
 * is repeated per run and repeated names are written once. The static pages
 * show a page of rows; the script sorts and filters all of these.
 */
export interface RunIndex {
  version: 1;
  columns: Column[];
  /** Experiment slug per row, in archive order (grouped by date). */
  slugs: Field;
  /** The date group per row (`undated` when none). */
  groups: Field;
  /** One per column, in column order. */
  cells: ColumnCells[];
}

/** The run index of a table model: rows in the order the static pages list them. */
export function runIndex(table: ExperimentTableModel): RunIndex {
  const rows = table.groups.flatMap((g) => g.rows);
  const slugs = rows.map((r) => r.slug);
  const cells = table.columns.map((column, c): ColumnCells => {
    const cell = rows.map((r) => r.cells[c]!);
    const values = cell.map((x) => x.value);
    const names = values.every((v, i) => v === slugs[i]!.slice(slugs[i]!.lastIndexOf("/") + 1));
    const out: ColumnCells = { value: column.type === "number" ? { list: values.map(numeric) } : names ? { slugEnd: true } : encode(values) };
    const text = cell.map((x) => x.text);
    const digits = 6;
    if (text.every((t, i) => t === (values[i] === null ? "—" : significant(values[i]!, digits)))) out.text = { significant: digits };
    if (text.some((t, i) => t !== (values[i] ?? "—"))) out.text ??= encode(text);
    else delete out.text;
    for (const field of ["note", "title", "path"] as const) {
      const got = cell.map((x) => x[field] ?? null);
      if (got.every((x) => x === null)) continue;
      if (field === "path" && got.every((p, i) => p === null || p === rows[i]!.path)) out.path = { experiment: true };
      else out[field] = byValue(values, got) ?? encode(got);
    }
    return out;
  });
  return { version: 1, columns: table.columns, slugs: encode(slugs, "/"), groups: encode(rows.map((r) => r.group)), cells };
}

/** A number where JSON writes it back the same (full precision), else the string. */
function numeric(value: string | null): string | number | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) && String(n) === value ? n : value;
}

/**
 * A value to `digits` significant digits, as the table shows a best value
 * (core/figures.ts `formatValue`); the browser computes it the same way.
 */
export function significant(value: string | number | null, digits: number): string | null {
  const n = Number(value);
  return value === null || !Number.isFinite(n) ? null : String(Number(n.toPrecision(digits)));
}

/** Strings the shortest way: as a list, as a dictionary and indexes, or cut into words at a separator (", " by default). */
function encode(values: readonly (string | null)[], sep = ", "): Field {
  const dict = new Map<string, number>();
  const index = (v: string) => dict.get(v) ?? dict.set(v, dict.size).get(v)!;
  const at = values.map((v) => (v === null ? -1 : index(v)));
  const candidates: Field[] = [{ list: [...values] }, { dict: [...dict.keys()], at }];
  if (values.some((v) => v?.includes(sep))) {
    dict.clear();
    const parts = values.map((v) => (v === null ? null : v.split(sep).map(index)));
    candidates.push({ sep, words: [...dict.keys()], parts });
  }
  const sizes = candidates.map((c) => JSON.stringify(c).length);
  return candidates[sizes.indexOf(Math.min(...sizes))]!;
}

/** `{value: field}` when the field is a function of the value (and missing exactly where it is missing), else undefined. */
function byValue(values: readonly (string | null)[], field: readonly (string | null)[]): Field | undefined {
  // No prototype: a name such as `__proto__` is a key like any other.
  const map: Record<string, string> = Object.create(null);
  for (const [i, v] of values.entries()) {
    const f = field[i]!;
    if (v === null) {
      if (f !== null) return undefined;
    } else if (f !== null) {
      if (Object.hasOwn(map, v) && map[v] !== f) return undefined;
      map[v] = f;
    }
  }
  // A value with a field in one row and without it in another is not a function of the value.
  for (const [i, v] of values.entries()) if (v !== null && field[i] === null && Object.hasOwn(map, v)) return undefined;
  return Object.keys(map).length * 2 > values.length ? undefined : { byValue: map };
}
