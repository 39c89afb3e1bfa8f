/**
 * A problem found in an input file, modelled on vfile-message: where it is,
 * what is wrong, what would have been accepted and what was found.
 */
export interface Diagnostic {
  /** Root-relative path with forward slashes, so messages and snapshots are stable. */
  file: string;
  /** 1-based physical line (a `\n` ends a line); 0 when the problem concerns the whole file. */
  line: number;
  /** The column name when the problem concerns one CSV column (optional). */
  column?: string;
  /** One sentence, lower-case start: what is wrong. */
  reason: string;
  /** What would have been accepted (optional). */
  expected?: string;
  /** What was found, already quoted where it is text (optional). */
  actual?: string;
  /** True when the file cannot become a page; false when it is built with a warning. */
  fatal: boolean;
  /** A stable identifier of the kind of problem, e.g. `"ragged-row"` (optional). */
  ruleId?: string;
}

/**
 * Formats a diagnostic the way compilers do, so editors can jump to it:
 * `runs/a/b.csv:14: column "val_loss": expected a number (expected a number, got "nan?")`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}` : d.file;
  const column = d.column === undefined ? "" : `column ${JSON.stringify(d.column)}: `;
  const detail =
    d.expected !== undefined && d.actual !== undefined
      ? ` (expected ${d.expected}, got ${d.actual})`
      : d.expected !== undefined
        ? ` (expected ${d.expected})`
        : d.actual !== undefined
          ? ` (got ${d.actual})`
          : "";
  const severity = d.fatal ? "" : "warning: ";
  return `${where}: ${severity}${column}${d.reason}${detail}`;
}

/** Orders diagnostics by file, then line, then column name; use with `Array.prototype.sort`. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return compareStrings(a.file, b.file) || a.line - b.line || compareStrings(a.column ?? "", b.column ?? "") || compareStrings(a.reason, b.reason);
}

/** Code-unit order, independent of the machine's locale (unlike `localeCompare`). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Quotes a found value for a diagnostic, shortening very long text. */
export function quote(value: string, max = 40): string {
  const text = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(text);
}

/** 1-based physical line of a character offset in `text` (a `\n` ends a line). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
