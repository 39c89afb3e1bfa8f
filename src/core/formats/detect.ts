import { detectSeparator, firstLine, parseRecords } from "../csv.ts";
import type { Format } from "../history.ts";
import { isTfRecordStart } from "./tfrecord.ts";

/** The file names each format's logger writes, used only to break ties. */
const conventionalNames: readonly (readonly [RegExp, Format])[] = [
  [/(^|\/)events\.out\.tfevents\.[^/]*$/, "tensorboard"],
  [/(^|\/)trainer_state\.json$/, "huggingface"],
  [/(^|\/)metrics\.csv$/, "lightning"],
  [/(^|\/)results\.csv$/, "ultralytics"],
  [/(^|\/)history\.csv$/, "fastai"],
];

function formatFromName(name: string): Format | null {
  for (const [pattern, format] of conventionalNames) if (pattern.test(name)) return format;
  return null;
}

/** The header fields of delimiter-separated text, trimmed (Ultralytics pads them). */
function headerFields(text: string): string[] {
  const line = firstLine(text);
  return (parseRecords(line, detectSeparator(line))[0]?.fields ?? []).map((f) => f.trim());
}

/**
 * Guesses the format of a history file from its first bytes (a few KB are
 * enough), using the file name only to choose between formats the content
 * allows:
 *
 * - TFRecord framing whose first length checksum holds: `tensorboard`;
 * - a JSON object with a `log_history` key: `huggingface`;
 * - a header with `train_loss` and `valid_loss` (or `time` in `history.csv`)
 *   after `epoch`: `fastai`;
 * - `step` and `epoch` columns: `lightning`;
 * - `epoch` and `train/…`, `val/…`, `metrics/…` or learning-rate group
 *   columns: `ultralytics`;
 * - `epoch` as the first column: `keras`.
 *
 * Returns `null` for anything else (JSON Lines, headerless tables, tables
 * without an epoch), which the caller should report rather than guess.
 *
 * @param name The file's path or name, e.g. `runs/a/metrics.csv`.
 * @param head The start of the file, as bytes or text.
 */
export function detectFormat(name: string, head: Uint8Array | string): Format | null {
  if (typeof head !== "string" && isTfRecordStart(head)) return "tensorboard";
  const text = typeof head === "string" ? head : new TextDecoder("utf-8", { fatal: false }).decode(head);
  const body = text.replace(/^\uFEFF?\s*/, "");
  if (body.startsWith("{") || body.startsWith("[")) {
    return /^\{[\s\S]*"log_history"\s*:/.test(body) && !/^\{[^\n]*\}\s*\n\s*\{/.test(body) ? "huggingface" : null;
  }
  const fields = headerFields(body);
  const has = (column: string) => fields.includes(column);
  if (!has("epoch")) return null;
  const byName = formatFromName(name);
  if (fields[0] === "epoch" && has("train_loss") && (has("valid_loss") || (byName === "fastai" && has("time")))) return "fastai";
  if (has("step")) return "lightning";
  if (fields.some((f) => /^(train|val|metrics|lr)\/./.test(f) || /^x\/lr\d+$/.test(f))) return "ultralytics";
  if (fields[0] === "epoch") return byName === "fastai" && has("train_loss") ? "fastai" : "keras";
  return null;
}
