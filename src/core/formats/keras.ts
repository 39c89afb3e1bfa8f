import { BadCells, parseCell, readTable } from "../csv.ts";
import { quote, type Diagnostic } from "../diagnostics.ts";
import type { Attempt, History, ParseResult, Resume, Series } from "../history.ts";
import { roleOf, splitName } from "./naming.ts";
import { has, no, yes, type FormatModule } from "./formatModule.ts";

/**
 * Reads a Keras `CSVLogger` history: a header `epoch,<metric>,…` (names
 * sorted, `val_` for validation), then one row per epoch, 0-based. Separators
 * `,` `;` and tab; LF, CRLF and CR CR LF line ends; a BOM.
 *
 * Appended files (`CSVLogger(append=True)` never rewrites the header): when
 * the epoch goes back to the file's first epoch a new attempt begins; when it
 * goes back but not that far, the training was resumed from a checkpoint: the
 * later rows win at the repeated epochs and the resume point is recorded.
 * Rows whose field count differs from the header's are left out with one
 * diagnostic per run of such rows; a short last row is a line still being
 * written. Never throws.
 */
export function parseKeras(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const read = readTable(text, file, "a header line starting with epoch");
  if ("diagnostic" in read) return { history: null, diagnostics: [read.diagnostic] };
  const { header } = read.table;
  const records = [header, ...read.table.rows];
  const columns = header.fields.map((name) => name.trim());
  const epochIndex = columns.findIndex((name) => name.toLowerCase() === "epoch");
  if (epochIndex < 0) {
    diagnostics.push({
      file,
      line: header.line,
      reason: "header has no epoch column",
      expected: "a header line starting with epoch",
      actual: quote(header.fields.join(",")),
      fatal: true,
      ruleId: "no-epoch-column",
    });
    return { history: null, diagnostics };
  }

  const attempts: Attempt[] = [];
  const resumes: Resume[] = [];
  // One map per attempt: epoch -> row values; a resumed epoch overwrites.
  const rowsByAttempt: Map<number, (number | null)[]>[] = [];
  const badCells = new BadCells();
  // Keras writes `epoch`, then the sorted log keys: the training names, then
  // the `val_` names. A training appended without validation writes only the
  // first part, so a row that is exactly that long is read as those columns
  // (validation missing), with a warning; any other width cannot be named.
  const trainingWidth = epochIndex === 0 ? 1 + columns.slice(1).findIndex((name) => name.startsWith("val_")) : 0;
  const readsNarrow = (width: number) => trainingWidth > 1 && width === trainingWidth && columns.slice(trainingWidth).every((name) => name.startsWith("val_"));
  let ragged: { first: number; last: number; fields: number; count: number; kept: boolean } | null = null;
  const flushRagged = () => {
    if (ragged === null) return;
    const lines = ragged.count === 1 ? `line ${ragged.first}` : `${ragged.count} rows, lines ${ragged.first}–${ragged.last}`;
    diagnostics.push(
      ragged.kept
        ? {
            file,
            line: ragged.first,
            reason: `row has only the training columns (${columns.slice(0, trainingWidth).join(", ")}); validation read as missing (${lines})`,
            expected: `${columns.length} fields`,
            actual: `${ragged.fields}`,
            fatal: false,
            ruleId: "training-only-row",
          }
        : {
            file,
            line: ragged.first,
            reason: `row has a different number of fields than the header; left out (${lines})`,
            expected: `${columns.length} fields`,
            actual: `${ragged.fields}`,
            fatal: false,
            ruleId: "ragged-row",
          },
    );
    ragged = null;
  };

  let firstEpoch: number | null = null;
  let previous: number | null = null;
  for (let r = 1; r < records.length; r++) {
    const { line } = records[r]!;
    let { fields } = records[r]!;
    if (fields.length !== columns.length) {
      const narrow = readsNarrow(fields.length);
      const previousNarrow = ragged?.kept === true;
      // A short last line with no line end is a row being written, unless it
      // continues a run of training-only rows of its width.
      if (r === records.length - 1 && fields.length < columns.length && !(narrow && previousNarrow && ragged?.fields === fields.length) && !/\r?\n$/.test(text)) {
        flushRagged();
        diagnostics.push({
          file,
          line,
          reason: "last line is incomplete (the file may still be being written); left out",
          expected: `${columns.length} fields`,
          actual: `${fields.length}`,
          fatal: false,
          ruleId: "truncated-row",
        });
        continue;
      }
      if (ragged !== null && ragged.fields === fields.length && ragged.kept === narrow) {
        ragged.last = line;
        ragged.count++;
      } else {
        if (previousNarrow || ragged !== null) flushRagged();
        ragged = { first: line, last: line, fields: fields.length, count: 1, kept: narrow };
      }
      if (!narrow) continue;
      fields = [...fields, ...columns.slice(fields.length).map(() => "")];
    } else flushRagged();
    if (fields.every((f, i) => f.trim() === columns[i])) {
      diagnostics.push({
        file,
        line,
        reason: "header repeated inside the file; left out",
        expected: "a data row",
        actual: quote(fields.join(",")),
        fatal: false,
        ruleId: "repeated-header",
      });
      continue;
    }
    const epochCell = parseCell(fields[epochIndex]!);
    const epoch = "value" in epochCell ? epochCell.value : null;
    if (epoch === null || !Number.isInteger(epoch) || epoch < 0) {
      diagnostics.push({
        file,
        line,
        column: columns[epochIndex]!,
        reason: "epoch is not a whole number; row left out",
        expected: "an integer ≥ 0",
        actual: quote(fields[epochIndex]!),
        fatal: false,
        ruleId: "bad-epoch",
      });
      continue;
    }
    firstEpoch ??= epoch;
    let attempt = attempts[attempts.length - 1];
    if (attempt === undefined || (previous !== null && epoch <= previous && epoch <= firstEpoch)) {
      attempt = { index: attempts.length, line, firstEpoch: epoch, lastEpoch: epoch, rows: 0 };
      attempts.push(attempt);
      rowsByAttempt.push(new Map());
    } else if (previous !== null && epoch <= previous) {
      resumes.push({ attempt: attempt.index, epoch, line });
    }
    const values: (number | null)[] = [];
    for (let c = 0; c < columns.length; c++) {
      if (c === epochIndex) continue;
      values.push(badCells.read(fields[c]!, columns[c]!, line));
    }
    rowsByAttempt[attempt.index]!.set(epoch, values);
    attempt.rows++;
    attempt.lastEpoch = Math.max(attempt.lastEpoch, epoch);
    previous = epoch;
  }
  flushRagged();
  diagnostics.push(...badCells.diagnostics(file));

  const series: Series[] = [];
  const names = columns.filter((_, c) => c !== epochIndex);
  rowsByAttempt.forEach((rows, attempt) => {
    const epochs = [...rows.keys()].sort((a, b) => a - b);
    const ordered = epochs.map((e) => rows.get(e)!);
    names.forEach((name, c) => {
      series.push({ name, ...splitName(name), role: roleOf(name), axis: "epoch", attempt, x: epochs, y: ordered.map((row) => row[c]!) });
    });
  });
  if (attempts.length === 0) {
    diagnostics.push({ file, line: header.line, reason: "no data rows", expected: "at least one row after the header", actual: "none", fatal: true, ruleId: "no-rows" });
    return { history: null, diagnostics };
  }
  const history: History = { file, format: "keras", columns, series, attempts, resumes };
  return { history, diagnostics };
}

/** The Keras CSVLogger log format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const kerasFormat: FormatModule = {
  format: "keras",
  label: "Keras CSVLogger log",
  names: /(^|\/)[^/]*\.(csv|log|tsv)$/,
  sniff: (h) => {
    if (!has(h, "epoch")) return no;
    if (h.fields[0] === "epoch") return yes;
    return no;
  },
  parse: (_bytes, text, file) => parseKeras(text, file),
};
