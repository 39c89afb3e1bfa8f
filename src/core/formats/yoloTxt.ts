import { parseCell } from "../csv.ts";
import { quote, type Diagnostic } from "../diagnostics.ts";
import type { ParseResult, Role, Split } from "../history.ts";
import { buildEpochHistory, type EpochColumn, type EpochRow } from "./epochTable.ts";
import { near, no, yes, type FormatModule } from "./formatModule.ts";

type Column = [name: string, split: Split, role: Role];

/**
 * The 13 columns after `epoch/N` and GPU memory. YOLOv5, YOLOv7 and YOLOv4
 * (`train.py`: `'%10s' * 2 + '%10.4g' * 6` then `'%10.4g' * 7 % results`):
 * mean train box, obj, cls and total loss, targets, image size, then P, R,
 * mAP@.5, mAP@.5:.95 and the val box, obj, cls losses.
 */
const yolov5: readonly Column[] = [
  ["train/box_loss", "train", "metric"],
  ["train/obj_loss", "train", "metric"],
  ["train/cls_loss", "train", "metric"],
  ["train/total_loss", "train", "metric"],
  ["targets", "train", "other"],
  ["img_size", "train", "other"],
  ["metrics/precision", "validation", "metric"],
  ["metrics/recall", "validation", "metric"],
  ["metrics/mAP_0.5", "validation", "metric"],
  ["metrics/mAP_0.5:0.95", "validation", "metric"],
  ["val/box_loss", "validation", "metric"],
  ["val/obj_loss", "validation", "metric"],
  ["val/cls_loss", "validation", "metric"],
];

/** ultralytics/yolov3 writes GIoU for box and F1 where YOLOv5 has mAP@.5:.95 (column 12). */
const yolov3: readonly Column[] = yolov5.map(
  ([name, split, role]): Column => [name.replace("box_loss", "giou_loss").replace("mAP_0.5:0.95", "F1").replace("mAP_0.5", "mAP"), split, role],
);

const epochOf = /^(\d+)\/(\d+)$/;

/** The whitespace-separated fields of a results.txt line. */
function fieldsOf(line: string): string[] {
  return line.trim().split(/\s+/);
}

/** Reads GPU memory as YOLO prints it (`1.93G`, `0G`) in GB; `undefined` when it is not that. */
function gigabytes(raw: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)G$/i.exec(raw);
  return m === null ? undefined : Number(m[1]);
}

/** The expected field count, and why a line does not fit, for the sniff and the parser. */
export const yoloFields = 15;

/**
 * True when columns 9, 10 and 12 are P, R and their F1 on every row where
 * P + R > 0 (ultralytics/yolov3 writes F1 at column 12; YOLOv5 writes
 * mAP@.5:.95, which is never the harmonic mean of P and R on every row).
 */
function looksLikeYolov3(rows: readonly (number | null)[][]): boolean {
  let checked = 0;
  for (const v of rows) {
    const [p, r, f1] = [v[6] ?? NaN, v[7] ?? NaN, v[9] ?? NaN];
    if (!(p + r > 0)) continue;
    const expected = (2 * p * r) / (p + r);
    if (Math.abs(expected - f1) > 0.01 * Math.max(1e-3, expected) + 1e-3) return false;
    checked++;
  }
  return checked >= 2;
}

/**
 * Reads a legacy, headerless YOLO `results.txt` (YOLOv5 before v6.1, YOLOv7,
 * YOLOv4, ultralytics/yolov3): one right-aligned line per epoch,
 * `epoch/last_epoch`, GPU memory as `7.37G`, then 13 numbers (see `yolov5`).
 * The variant is told from the values: ultralytics/yolov3 has F1 in column
 * 12. Epochs are 0-based as written; a resumed training repeats epochs and
 * the later line wins. Lines with another field count are left out with a
 * warning naming the line; a short last line is one still being written.
 * Never throws.
 */
export function parseYoloTxt(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const raw: { line: number; epoch: number; values: (number | null)[] }[] = [];
  let badCells = 0;
  let firstBad: Diagnostic | null = null;
  lines.forEach((body, i) => {
    if (body.trim() === "") return;
    const line = i + 1;
    const fields = fieldsOf(body);
    if (fields.length !== yoloFields) {
      const last = lines.slice(i + 1).every((l) => l.trim() === "");
      diagnostics.push(
        last && fields.length < yoloFields && !/\n\s*$/.test(text)
          ? {
              file,
              line,
              reason: "last line is incomplete (the file may still be being written); left out",
              expected: `${yoloFields} fields`,
              actual: `${fields.length}`,
              fatal: false,
              ruleId: "truncated-row",
            }
          : {
              file,
              line,
              reason: "line has a different number of fields than a YOLO results.txt line; left out",
              expected: `${yoloFields} fields`,
              actual: `${fields.length}`,
              fatal: false,
              ruleId: "ragged-row",
            },
      );
      return;
    }
    const epoch = epochOf.exec(fields[0]!);
    if (epoch === null) {
      diagnostics.push({
        file,
        line,
        column: "epoch",
        reason: "first field is not epoch/last_epoch; line left out",
        expected: "e.g. 12/299",
        actual: quote(fields[0]!),
        fatal: false,
        ruleId: "bad-epoch",
      });
      return;
    }
    const memory = gigabytes(fields[1]!);
    const values: (number | null)[] = [memory ?? null];
    for (const [c, f] of fields.slice(2).entries()) {
      const cell = parseCell(f);
      if ("value" in cell) values.push(cell.value);
      else {
        badCells++;
        firstBad ??= {
          file,
          line,
          column: (yolov5[c] ?? ["?"])[0],
          reason: "value is not a number; kept as missing",
          expected: "a number",
          actual: cell.error,
          fatal: false,
          ruleId: "not-a-number",
        };
        values.push(null);
      }
    }
    raw.push({ line, epoch: Number(epoch[1]), values });
  });
  if (firstBad !== null) {
    const d = firstBad as Diagnostic;
    if (badCells > 1) d.reason = `${badCells} values are not numbers, the first here; kept as missing`;
    diagnostics.push(d);
  }
  const variant = looksLikeYolov3(raw.map((r) => r.values.slice(1))) ? yolov3 : yolov5;
  const columns: EpochColumn[] = [
    { name: "gpu_mem", metric: "gpu_mem", split: "train", role: "other" },
    ...variant.map(([name, split, role]) => ({ name, metric: name.slice(name.indexOf("/") + 1), split, role })),
  ];
  const rows: EpochRow[] = raw.map((r) => ({ line: r.line, epoch: r.epoch, values: r.values, restart: false }));
  const history = buildEpochHistory(file, "yolo-txt", ["epoch", ...columns.map((c) => c.name)], columns, rows);
  if (history === null)
    diagnostics.push({
      file,
      line: 1,
      reason: "no line reads as a YOLO results.txt epoch",
      expected: `lines of ${yoloFields} fields starting with epoch/last_epoch`,
      fatal: true,
      ruleId: "no-rows",
    });
  return { history, diagnostics };
}

/** The YOLOv5 / YOLOv7 / ultralytics-yolov3 results.txt format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const yoloTxtFormat: FormatModule = {
  format: "yolo-txt",
  label: "YOLOv5 / YOLOv7 / ultralytics-yolov3 results.txt",
  names: /(^|\/)results\.txt$/,
  sniff: (h) => {
    const lines = h.text.split(/\r?\n/).slice(0, 50);
    if (!/^\d+\/\d+$/.test(lines[0]?.trim().split(/\s+/)[0] ?? ""))
      return /(^|\/)results\.txt$/.test(h.name) && h.text !== ""
        ? near(`line 1 does not start with epoch/last_epoch (got ${JSON.stringify((lines[0] ?? "").trim().slice(0, 20))})`)
        : no;
    // The last line of the head may be cut at 64 KB, so it is not judged.
    const bad = lines.slice(0, -1).findIndex((l) => l.trim() !== "" && l.trim().split(/\s+/).length !== yoloFields);
    return bad < 0 || lines.length === 1 ? yes : near(`line ${bad + 1} has ${lines[bad]!.trim().split(/\s+/).length} fields, expected ${yoloFields}`);
  },
  parse: (_bytes, text, file) => parseYoloTxt(text, file),
};
