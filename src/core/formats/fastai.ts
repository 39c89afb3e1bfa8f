import { BadCells, parseCell, readTable } from "../csv.ts";
import { quote, type Diagnostic } from "../diagnostics.ts";
import type { ParseResult } from "../history.ts";
import { buildEpochHistory, type EpochColumn, type EpochRow } from "./epochTable.ts";
import { has, no, yes, type FormatModule } from "./formatModule.ts";

/** `mm:ss` or `h:mm:ss`, as fastai's `format_time` writes epoch durations. */
const clock = /^(?:(\d+):)?(\d+):(\d{2})$/;

/** Seconds from a fastai duration; `null` for an empty cell, `undefined` when it is not a duration. */
function parseDuration(raw: string): number | null | undefined {
  const s = raw.trim();
  if (s === "" || s === "#na#") return null;
  const m = clock.exec(s);
  if (m === null) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/**
 * How a fastai column becomes a series. fastai computes every metric
 * (`accuracy`, `error_rate`, …) on the validation set, so only `train_loss`
 * is a training series; `time` is the epoch's duration.
 */
function describe(name: string): EpochColumn {
  if (name === "train_loss") return { name, metric: "loss", split: "train", role: "metric" };
  if (name === "valid_loss") return { name, metric: "loss", split: "validation", role: "metric" };
  if (name === "time") return { name, metric: "time", split: "train", role: "other" };
  return { name, metric: name, split: "validation", role: "metric" };
}

/**
 * Reads a fastai `CSVLogger` history (`history.csv`):
 * `epoch,train_loss,valid_loss,<metrics>,time`. `time` (`mm:ss` or
 * `h:mm:ss`) becomes seconds with role `other`; `#na#` (a metric that was not
 * computed, e.g. during `lr_find`) is missing. With `append=True` fastai
 * writes the header again before each fit, and each repeated header starts
 * a new attempt. A row with fewer fields than the header is kept, its
 * missing cells empty, with a warning naming the line; when its last field
 * is a duration it is read into `time`. Never throws.
 */
export function parseFastai(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const read = readTable(text, file, "a header line epoch,train_loss,valid_loss,…");
  if ("diagnostic" in read) return { history: null, diagnostics: [read.diagnostic] };
  const { header } = read.table;
  const names = header.fields.map((f) => f.trim());
  const epochIndex = names.indexOf("epoch");
  if (epochIndex < 0) {
    diagnostics.push({
      file,
      line: header.line,
      reason: "header has no epoch column",
      expected: "a header line epoch,train_loss,valid_loss,…",
      actual: quote(header.fields.join(",")),
      fatal: true,
      ruleId: "no-epoch-column",
    });
    return { history: null, diagnostics };
  }
  const valueIndexes = names.map((_, i) => i).filter((i) => i !== epochIndex);
  const timeIndex = names.length - 1;
  const hasTime = names[timeIndex] === "time";
  const columns = valueIndexes.map((i) => describe(names[i]!));
  const badCells = new BadCells();

  const rows: EpochRow[] = [];
  let restart = false;
  for (const { line, fields } of read.table.rows) {
    if (fields.length === names.length && fields.every((f, i) => f.trim() === names[i])) {
      restart = true;
      continue;
    }
    let cells = fields;
    if (fields.length !== names.length) {
      const short = fields.length < names.length;
      // fastai v2 leaves out a metric it could not compute but still ends the row with the time.
      const timeLast = short && hasTime && parseDuration(fields[fields.length - 1]!) != null;
      diagnostics.push({
        file,
        line,
        reason: short
          ? `row has fewer fields than the header; ${timeLast ? "the last field is read as time and " : ""}the missing cells are kept as missing`
          : "row has more fields than the header; the extra fields are left out",
        expected: `${names.length} fields`,
        actual: `${fields.length}`,
        fatal: false,
        ruleId: "ragged-row",
      });
      cells = names.map((_, i) => (timeLast && i >= fields.length - 1 ? (i === timeIndex ? fields[fields.length - 1]! : "") : (fields[i] ?? "")));
    }
    const epochCell = parseCell(cells[epochIndex]!);
    const epoch = "value" in epochCell ? epochCell.value : null;
    if (epoch === null || !Number.isInteger(epoch) || epoch < 0) {
      diagnostics.push({
        file,
        line,
        column: "epoch",
        reason: "epoch is not a whole number; row left out",
        expected: "an integer ≥ 0",
        actual: quote(cells[epochIndex]!),
        fatal: false,
        ruleId: "bad-epoch",
      });
      continue;
    }
    const values = valueIndexes.map((i) => {
      const raw = cells[i]!;
      const duration = i === timeIndex && hasTime ? parseDuration(raw) : undefined;
      if (duration !== undefined) return duration;
      return badCells.read(raw, names[i]!, line);
    });
    rows.push({ line, epoch, values, restart });
    restart = false;
  }
  diagnostics.push(...badCells.diagnostics(file));
  const history = buildEpochHistory(file, "fastai", names, columns, rows);
  if (history === null) {
    diagnostics.push({ file, line: header.line, reason: "no data rows", expected: "at least one row after the header", actual: "none", fatal: true, ruleId: "no-rows" });
  }
  return { history, diagnostics };
}

/** The fastai CSVLogger history.csv format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const fastaiFormat: FormatModule = {
  format: "fastai",
  label: "fastai CSVLogger history.csv",
  names: /(^|\/)history\.csv$/,
  sniff: (h) => {
    const byName = /(^|\/)history\.csv$/.test(h.name);
    return h.fields[0] === "epoch" && has(h, "train_loss") && (has(h, "valid_loss") || byName) ? yes : no;
  },
  parse: (_bytes, text, file) => parseFastai(text, file),
};
