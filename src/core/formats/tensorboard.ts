import type { Diagnostic } from "../diagnostics.ts";
import type { History, ParseResult, Series } from "../history.ts";
import { roleOf, splitName } from "./naming.ts";
import { decodeEvent } from "./tfevent.ts";
import { readTfRecords, type FramingProblem } from "./tfrecord.ts";
import { near, no, yes, type FormatModule } from "./formatModule.ts";
import { isTfRecordStart } from "./tfrecord.ts";

/** Name of the series that keeps each step's wall time (seconds since 1970), used by `mergeTensorBoard`. */
export const wallTimeName = "wall_time";

/** A value and the wall time of the event that wrote it. */
interface Point {
  y: number | null;
  wall: number;
}

const problemReasons: Readonly<Record<FramingProblem["kind"], string>> = {
  truncated: "the last record is cut short (the file may still be being written); left out",
  "length-crc": "a record length fails its checksum; the rest of the file is left out",
  "data-crc": "a record fails its data checksum; left out",
};

/**
 * Reads a TensorBoard event file (`events.out.tfevents.*`): TFRecord framing
 * with CRC checks, then one `Event` per record. Every scalar summary tag
 * becomes one series on axis `step` (x = the event's step), with split and
 * metric read from the tag as for Keras names (`val_loss` is the validation
 * `loss`, `train/loss` the train `loss`, `Loss/train` the train `Loss`).
 * When one tag is written twice at a step the later wall time wins. A
 * `wall_time` series (role `other`) keeps the latest wall time of each step,
 * so that `mergeTensorBoard` can combine files. The one attempt's
 * `firstEpoch`/`lastEpoch` are the first and last steps.
 *
 * Binary files have no lines: diagnostics use line 0 and give the byte
 * offset in the reason. A corrupt record is left out with a warning, a
 * truncated last record too; the values read before it are kept. Never
 * throws.
 */
export function parseTensorBoard(bytes: Uint8Array, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const { records, problems } = readTfRecords(bytes);
  if (records.length === 0) {
    const reason = bytes.length === 0 ? "file is empty" : "file is not a TensorBoard event file: no record passes the TFRecord checksums";
    diagnostics.push({ file, line: 0, reason, expected: "TFRecord framing (length, masked CRC-32C, data, masked CRC-32C)", fatal: true, ruleId: "not-tfrecord" });
    return { history: null, diagnostics };
  }
  for (const { offset, kind } of problems) {
    diagnostics.push({ file, line: 0, reason: `${problemReasons[kind]} (byte offset ${offset})`, fatal: false, ruleId: `tfrecord-${kind}` });
  }

  const byTag = new Map<string, Map<number, Point>>();
  const wallTimes = new Map<number, number>();
  let events = 0;
  for (const { offset, data } of records) {
    let event: ReturnType<typeof decodeEvent>;
    try {
      event = decodeEvent(data);
    } catch {
      diagnostics.push({ file, line: 0, reason: `record is not a valid Event protobuf; left out (byte offset ${offset})`, fatal: false, ruleId: "bad-event" });
      continue;
    }
    if (event.scalars.length === 0) continue;
    events++;
    wallTimes.set(event.step, Math.max(wallTimes.get(event.step) ?? -Infinity, event.wallTime));
    for (const { tag, value } of event.scalars) {
      let points = byTag.get(tag);
      if (points === undefined) byTag.set(tag, (points = new Map()));
      const old = points.get(event.step);
      if (old === undefined || event.wallTime >= old.wall) points.set(event.step, { y: value, wall: event.wallTime });
    }
  }
  if (events === 0) {
    diagnostics.push({ file, line: 0, reason: "event file holds no scalar summaries", expected: "add_scalar or tf.summary.scalar values", fatal: false, ruleId: "no-scalars" });
  }
  const series: Series[] = [];
  for (const [tag, points] of byTag) {
    const x = [...points.keys()].sort((a, b) => a - b);
    series.push({ name: tag, ...splitName(tag), axis: "step", role: roleOf(tag), attempt: 0, x, y: x.map((s) => points.get(s)!.y) });
  }
  const steps = [...wallTimes.keys()].sort((a, b) => a - b);
  if (steps.length > 0) series.push(wallTimeSeries(steps, wallTimes));
  const attempt = { index: 0, line: 0, firstEpoch: steps[0] ?? 0, lastEpoch: steps[steps.length - 1] ?? 0, rows: events };
  return { history: { file, format: "tensorboard", columns: [...byTag.keys()], series, attempts: [attempt], resumes: [] }, diagnostics };
}

function wallTimeSeries(steps: number[], wallTimes: Map<number, number>): Series {
  return { name: wallTimeName, metric: wallTimeName, split: "train", axis: "step", role: "other", attempt: 0, x: steps, y: steps.map((s) => wallTimes.get(s)!) };
}

/**
 * Merges the histories of the event files of one run folder (TensorBoard
 * starts a new file on every restart) into one: series with the same name
 * are joined and sorted by step; where several files hold a step, the file
 * with the later wall time at that step wins, and on equal wall times the
 * later history in the list. The result keeps the first history's `file`.
 * Returns `null` for an empty list.
 */
export function mergeTensorBoard(histories: readonly History[]): History | null {
  const first = histories[0];
  if (first === undefined) return null;
  const merged = new Map<string, { template: Series; points: Map<number, Point> }>();
  const wallTimes = new Map<number, number>();
  const columns: string[] = [];
  let rows = 0;
  for (const history of histories) {
    const wall = history.series.find((s) => s.name === wallTimeName && s.role === "other");
    const wallAt = new Map(wall?.x.map((x, i) => [x, wall.y[i] ?? -Infinity]));
    for (const [step, time] of wallAt) wallTimes.set(step, Math.max(wallTimes.get(step) ?? -Infinity, time));
    for (const column of history.columns) if (!columns.includes(column)) columns.push(column);
    rows += history.attempts.reduce((sum, a) => sum + a.rows, 0);
    for (const s of history.series) {
      if (s === wall) continue;
      let entry = merged.get(s.name);
      if (entry === undefined) merged.set(s.name, (entry = { template: s, points: new Map() }));
      s.x.forEach((x, i) => {
        const time = wallAt.get(x) ?? -Infinity;
        const old = entry.points.get(x);
        if (old === undefined || time >= old.wall) entry.points.set(x, { y: s.y[i] ?? null, wall: time });
      });
    }
  }
  const series: Series[] = [];
  for (const { template, points } of merged.values()) {
    const x = [...points.keys()].sort((a, b) => a - b);
    series.push({ ...template, x, y: x.map((s) => points.get(s)!.y) });
  }
  const steps = [...wallTimes.keys()].sort((a, b) => a - b);
  if (steps.length > 0) series.push(wallTimeSeries(steps, wallTimes));
  let firstEpoch = Infinity;
  let lastEpoch = -Infinity;
  for (const s of series) if (s.x.length > 0) [firstEpoch, lastEpoch] = [Math.min(firstEpoch, s.x[0]!), Math.max(lastEpoch, s.x[s.x.length - 1]!)];
  const attempt = { index: 0, line: 0, firstEpoch: Number.isFinite(firstEpoch) ? firstEpoch : 0, lastEpoch: Number.isFinite(lastEpoch) ? lastEpoch : 0, rows };
  return { file: first.file, format: "tensorboard", columns, series, attempts: [attempt], resumes: [] };
}

/** The TensorBoard event file format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const tensorboardFormat: FormatModule = {
  format: "tensorboard",
  label: "TensorBoard event file",
  names: /(^|\/)events\.out\.tfevents\.[^/]*$/,
  folder: "<run>/events.out.tfevents.* (all event files of a folder are one run)",
  sniff: (h) => (isTfRecordStart(h.bytes) ? yes : /(^|\/)events\.out\.tfevents\./.test(h.name) ? near("no record passes the TFRecord checksums") : no),
  parse: (bytes, _text, file) => parseTensorBoard(bytes, file),
};
