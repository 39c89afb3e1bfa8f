import { dsvFormat } from "d3-dsv";
import { quote, type Diagnostic } from "./diagnostics.ts";

/** One CSV record with the physical line it starts on. */
export interface CsvRecord {
  /** 1-based physical line of the record's first character. */
  line: number;
  /** The fields, unquoted by d3-dsv. */
  fields: string[];
}

/** The separators runsite recognises, in order of preference on a tie. */
export const separators = [",", ";", "\t"] as const;
export type Separator = (typeof separators)[number];

/**
 * Splits delimiter-separated text into records, keeping the physical line of
 * each. d3-dsv counts records, not lines, and quoted fields may span lines,
 * so record boundaries are found here and each record's fields are split by
 * d3-dsv. A leading BOM is dropped. Line ends may be `\n`, `\r\n` or the
 * `\r\r\n` that Windows text mode writes when a program already wrote `\r\n`
 * (Keras on Windows does): each counts as one line end. Blank lines are
 * skipped. Never throws.
 */
export function parseRecords(text: string, separator: Separator): CsvRecord[] {
  const parser = dsvFormat(separator);
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const start = i;
    const startLine = line;
    let inQuote = false;
    let end = n;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 /* " */) inQuote = !inQuote;
      else if (c === 10 /* \n */) {
        if (inQuote) line++;
        else {
          end = i;
          break;
        }
      } else if (c === 13 /* \r */ && !inQuote) {
        end = i;
        break;
      }
    }
    // Consume the line end: any run of \r followed by an optional \n, or a lone \n.
    while (i < n && text.charCodeAt(i) === 13) i++;
    if (i < n && text.charCodeAt(i) === 10) i++;
    if (end > start || i > start) line++;
    const raw = text.slice(start, end);
    if (raw.trim() === "") continue;
    // A line without quotes splits at the separator exactly as d3-dsv would,
    // at a fraction of the cost (a 100 000-row history has 100 000 lines).
    const fields = raw.includes('"') ? (parser.parseRows(raw)[0] ?? [""]) : raw.split(separator);
    records.push({ line: startLine, fields });
  }
  return records;
}

/**
 * Guesses the separator from a header line: the candidate that occurs most
 * often outside quotes; `,` on a tie or when none occurs.
 */
export function detectSeparator(headerLine: string): Separator {
  let best: Separator = ",";
  let bestCount = 0;
  for (const s of separators) {
    let count = 0;
    let inQuote = false;
    for (const c of headerLine) {
      if (c === '"') inQuote = !inQuote;
      else if (c === s && !inQuote) count++;
    }
    if (count > bestCount) {
      best = s;
      bestCount = count;
    }
  }
  return best;
}

/** The first non-blank line of a text, without its line end or BOM. */
export function firstLine(text: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const line of body.split(/\r*\n|\r/)) if (line.trim() !== "") return line;
  return "";
}

/** The result of reading one cell as a number. */
export type Cell = { value: number | null } | { error: string };

const decimal = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads one cell the way training loggers write numbers. Surrounding spaces
 * are ignored (Ultralytics pads). Missing: empty, `NA`, `N/A`, `#na#`
 * (fastai), `null`, `None`. Non-finite: `nan`, `inf`, `-inf`, `infinity`
 * in any case. Anything else that is not a plain decimal (`0x10`, `1,5`,
 * `[0.1, 0.2]`) is an error, never a guess.
 */
export function parseCell(raw: string): Cell {
  const s = raw.trim();
  if (s === "") return { value: null };
  if (decimal.test(s)) return { value: Number(s) };
  switch (s.toLowerCase()) {
    case "na":
    case "n/a":
    case "#na#":
    case "null":
    case "none":
      return { value: null };
    case "nan":
    case "+nan":
    case "-nan":
      return { value: NaN };
    case "inf":
    case "+inf":
    case "infinity":
    case "+infinity":
      return { value: Infinity };
    case "-inf":
    case "-infinity":
      return { value: -Infinity };
  }
  return { error: quote(raw) };
}

/** A diagnostic for a cell that is not a number. */
export function cellDiagnostic(file: string, line: number, column: string, actual: string): Diagnostic {
  return {
    file,
    line,
    column,
    reason: "value is not a number; kept as missing",
    expected: "a number, nan, inf or an empty cell",
    actual,
    fatal: false,
    ruleId: "not-a-number",
  };
}

/** The opening of a delimiter-separated table: its header record and the data records after it. */
export interface Table {
  header: CsvRecord;
  /** The data records, after the header. */
  rows: CsvRecord[];
}

/** The warning for a row whose number of fields differs from the header's: the row is left out. */
export function raggedRow(file: string, line: number, expected: number, actual: number): Diagnostic {
  return {
    file,
    line,
    reason: "row has a different number of fields than the header; left out",
    expected: `${expected} fields`,
    actual: `${actual}`,
    fatal: false,
    ruleId: "ragged-row",
  };
}

/**
 * Reads the opening every CSV format shares: the separator guessed from the
 * first line, the records, and the header. Returns a fatal `empty-file`
 * diagnostic (naming `expectedHeader`) when there is no record. Never throws.
 *
 * @param expectedHeader What the format's header looks like, for the message, e.g. `"a header line starting with epoch"`.
 */
export function readTable(text: string, file: string, expectedHeader: string): { table: Table } | { diagnostic: Diagnostic } {
  const records = parseRecords(text, detectSeparator(firstLine(text)));
  const header = records[0];
  if (header === undefined) return { diagnostic: { file, line: 1, reason: "file is empty", expected: expectedHeader, actual: "no text", fatal: true, ruleId: "empty-file" } };
  return { table: { header, rows: records.slice(1) } };
}

/**
 * Collects cells that are not numbers, one entry per column: the first line
 * and value, and how many. `diagnostics` turns them into one warning per
 * column, so a column of 10 000 bad cells is one message, not 10 000.
 */
export class BadCells {
  readonly #byColumn = new Map<string, { line: number; actual: string; count: number }>();

  /** Notes a bad cell of `column` at `line`; `actual` is the quoted value. */
  add(column: string, line: number, actual: string): void {
    const bad = this.#byColumn.get(column);
    if (bad === undefined) this.#byColumn.set(column, { line, actual, count: 1 });
    else bad.count++;
  }

  /** Reads a cell, noting it when it is not a number; returns the value, or `null` for a bad cell. */
  read(raw: string, column: string, line: number): number | null {
    const cell = parseCell(raw);
    if ("value" in cell) return cell.value;
    this.add(column, line, cell.error);
    return null;
  }

  /** One warning per column, in the order the columns first went wrong; `outcome` says what became of the cells. */
  diagnostics(file: string, outcome: "kept as missing" | "left out" = "kept as missing"): Diagnostic[] {
    return [...this.#byColumn].map(([column, bad]) => {
      const d = cellDiagnostic(file, bad.line, column, bad.actual);
      d.reason = bad.count > 1 ? `${bad.count} values are not numbers, the first here; ${outcome}` : `value is not a number; ${outcome}`;
      return d;
    });
  }
}
