import type { Column, ExperimentTableModel } from "./experimentTable.ts";

/**
 * One field of every row of a column, written compactly:
 * - `list`: one entry per row (`null` when missing),
 * - `dict` + `at`: distinct strings once, then an index per row (`-1` when missing),
 * - `byValue`: a function of the row's value (a model's description, a date's page),
 * - `experiment`: the row's experiment page (`experiments/<slug>/`).
 */
export type Field = { list: (string | number | null)[] } | { dict: string[]; at: number[] } | { byValue: Record<string, string> } | { experiment: true };

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
  slugs: string[];
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
    const out: ColumnCells = { value: column.type === "number" ? { list: values.map(numeric) } : encode(values) };
    const text = cell.map((x) => x.text);
    if (text.some((t, i) => t !== (values[i] ?? "—"))) out.text = encode(text);
    for (const field of ["note", "title", "path"] as const) {
      const got = cell.map((x) => x[field] ?? null);
      if (got.every((x) => x === null)) continue;
      if (field === "path" && got.every((p, i) => p === null || p === rows[i]!.path)) out.path = { experiment: true };
      else out[field] = byValue(values, got) ?? encode(got);
    }
    return out;
  });
  return { version: 1, columns: table.columns, slugs, groups: encode(rows.map((r) => r.group)), cells };
}

/** A number where JSON writes it back the same (full precision), else the string. */
function numeric(value: string | null): string | number | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) && String(n) === value ? n : value;
}

/** Strings with repeats as a dictionary and indexes, unique ones as a list. */
function encode(values: readonly (string | null)[]): Field {
  const dict = new Map<string, number>();
  const at = values.map((v) => (v === null ? -1 : (dict.get(v) ?? dict.set(v, dict.size).get(v)!)));
  return dict.size * 2 > values.length ? { list: [...values] } : { dict: [...dict.keys()], at };
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
