import type { Attempt, Axis, Role, Series, Split } from "../history.ts";
import { roleOf, splitName } from "./naming.ts";

/** How a name becomes a series when the format knows better than `splitName`/`roleOf`. */
export interface SeriesMeta {
  metric: string;
  split: Split;
  role: Role;
}

/**
 * Collects `(name, x, y)` points in any order and turns them into series
 * sorted by x. A repeated x keeps the later point (a restart that logs an
 * iteration again overwrites it). Split, metric and role come from the name
 * (`splitName`, `roleOf`) unless `meta` is given at the first point.
 */
export class PointCollector {
  readonly #series = new Map<string, { meta: SeriesMeta; axis: Axis; points: Map<number, number | null> }>();
  /** Data rows (records, lines) read, for the attempt. */
  rows = 0;

  add(name: string, axis: Axis, x: number, y: number | null, meta?: SeriesMeta): void {
    const key = `${axis}\u0000${name}`;
    let entry = this.#series.get(key);
    if (entry === undefined) {
      entry = { meta: meta ?? { ...splitName(name), role: roleOf(name) }, axis, points: new Map() };
      this.#series.set(key, entry);
    }
    entry.points.set(x, y);
  }

  get size(): number {
    return this.#series.size;
  }

  /** The names in first-seen order. */
  names(): string[] {
    return [...new Set([...this.#series.keys()].map((k) => k.slice(k.indexOf("\u0000") + 1)))];
  }

  /** The series, in first-seen order, each sorted by x. */
  series(attempt = 0): Series[] {
    return [...this.#series.entries()].map(([key, { meta, axis, points }]) => {
      const x = [...points.keys()].sort((a, b) => a - b);
      return { name: key.slice(key.indexOf("\u0000") + 1), ...meta, axis, attempt, x, y: x.map((v) => points.get(v) ?? null) };
    });
  }

  /** One attempt spanning the x values of every series; `line` is the first data line. */
  attempt(line: number): Attempt {
    let first = Infinity;
    let last = -Infinity;
    for (const { points } of this.#series.values()) for (const x of points.keys()) [first, last] = [Math.min(first, x), Math.max(last, x)];
    return { index: 0, line, firstEpoch: Number.isFinite(first) ? first : 0, lastEpoch: Number.isFinite(last) ? last : 0, rows: this.rows };
  }
}

/** Python's `json.dump` writes these bare tokens for non-finite floats; JSON has none. */
const nonFinite: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** Quotes bare `NaN`/`Infinity`/`-Infinity` outside strings so `JSON.parse` accepts what Python wrote; lines are kept. */
export function quoteNonFinite(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (token) => (token.startsWith('"') ? token : `"${token}"`));
}

/** A JSON value as a logged number: numbers, the quoted non-finite tokens, `null`; `undefined` for anything else. */
export function jsonNumber(value: unknown): number | null | undefined {
  if (typeof value === "number" || value === null) return value;
  if (typeof value === "string" && value in nonFinite) return nonFinite[value];
  return undefined;
}

/** Parses Python-written JSON (bare NaN allowed; a BOM kept as a space so offsets hold); the error when it is not JSON. */
export function parsePythonJson(text: string): { value: unknown } | { error: unknown; json: string } {
  const json = quoteNonFinite(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  try {
    return { value: JSON.parse(json) };
  } catch (error) {
    return { error, json };
  }
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
