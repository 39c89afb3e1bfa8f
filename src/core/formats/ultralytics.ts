import { BadCells, parseCell, readTable, raggedRow } from "../csv.ts";
import { quote, type Diagnostic } from "../diagnostics.ts";
import type { ParseResult } from "../history.ts";
import { buildEpochHistory, type EpochColumn, type EpochRow } from "./epochTable.ts";
import { has, no, yes, type FormatModule } from "./formatModule.ts";

/**
 * How an Ultralytics column becomes a series: `train/…` and `val/…` are
 * losses of their split; `metrics/…` (precision, recall, mAP, top-1
 * accuracy) are computed on the validation set; `lr/pg0…` (YOLOv8+) and
 * `x/lr0…` (YOLOv5) are the learning rates of the parameter groups; `time`
 * is cumulative seconds.
 */
function describe(name: string): EpochColumn {
  const slash = name.indexOf("/");
  const group = slash < 0 ? "" : name.slice(0, slash);
  const rest = name.slice(slash + 1);
  if (group === "lr" || /^x\/lr\d*$/.test(name)) return { name, metric: name, split: "train", role: "schedule" };
  if (group === "train") return { name, metric: rest, split: "train", role: "metric" };
  if (group === "val" || group === "metrics") return { name, metric: rest, split: "validation", role: "metric" };
  if (name === "time") return { name, metric: name, split: "train", role: "other" };
  return { name, metric: name, split: "train", role: "metric" };
}

/**
 * Reads an Ultralytics (YOLOv5, YOLOv8, YOLO11/12) `results.csv`. Older
 * versions right-align header names and values with spaces; both are
 * trimmed, so `columns` and series names are the trimmed names. Epochs are
 * kept as written (YOLOv5 and early YOLOv8 count from 0, later versions
 * from 1). A training resumed with `resume=True` appends rows from the
 * resumed epoch: the later rows win. Never throws.
 */
export function parseUltralytics(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const read = readTable(text, file, "a header line epoch,train/box_loss,…");
  if ("diagnostic" in read) return { history: null, diagnostics: [read.diagnostic] };
  const { header } = read.table;
  const names = header.fields.map((f) => f.trim());
  const epochIndex = names.indexOf("epoch");
  if (epochIndex < 0) {
    diagnostics.push({
      file,
      line: header.line,
      reason: "header has no epoch column",
      expected: "a header line epoch,train/box_loss,…",
      actual: quote(header.fields.join(",")),
      fatal: true,
      ruleId: "no-epoch-column",
    });
    return { history: null, diagnostics };
  }
  const valueIndexes = names.map((_, i) => i).filter((i) => i !== epochIndex);
  const columns = valueIndexes.map((i) => describe(names[i]!));
  const badCells = new BadCells();

  const rows: EpochRow[] = [];
  for (const { line, fields } of read.table.rows) {
    if (fields.length !== names.length) {
      diagnostics.push(raggedRow(file, line, names.length, fields.length));
      continue;
    }
    const epochCell = parseCell(fields[epochIndex]!);
    const epoch = "value" in epochCell ? epochCell.value : null;
    if (epoch === null || !Number.isInteger(epoch) || epoch < 0) {
      diagnostics.push({
        file,
        line,
        column: "epoch",
        reason: "epoch is not a whole number; row left out",
        expected: "an integer ≥ 0",
        actual: quote(fields[epochIndex]!),
        fatal: false,
        ruleId: "bad-epoch",
      });
      continue;
    }
    const values = valueIndexes.map((i) => {
      return badCells.read(fields[i]!, names[i]!, line);
    });
    // Ultralytics never repeats its header, so only the epoch going back marks a new training.
    rows.push({ line, epoch, values, restart: false });
  }
  diagnostics.push(...badCells.diagnostics(file));
  const history = buildEpochHistory(file, "ultralytics", names, columns, rows);
  if (history === null) {
    diagnostics.push({ file, line: header.line, reason: "no data rows", expected: "at least one row after the header", actual: "none", fatal: true, ruleId: "no-rows" });
  }
  return { history, diagnostics };
}

/** The Ultralytics results.csv format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const ultralyticsFormat: FormatModule = {
  format: "ultralytics",
  label: "Ultralytics results.csv",
  names: /(^|\/)results\.csv$/,
  folder: "runs/<task>/<name>/results.csv (+ args.yaml)",
  sniff: (h) => (has(h, "epoch") && h.fields.some((f) => /^(train|val|metrics|lr)\/./.test(f) || /^x\/lr\d+$/.test(f)) ? yes : no),
  parse: (_bytes, text, file) => parseUltralytics(text, file),
};
