import type { Diagnostic } from "../diagnostics.ts";
import type { ParseResult, Role, Split } from "../history.ts";
import { PointCollector, type SeriesMeta } from "./points.ts";
import { near, no, yes, type FormatModule } from "./formatModule.ts";

/** `2023-08-21 10:38:53.118993: ` — nnU-Net's `print_to_log_file` prefix. */
const stamp = /^\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?:\s?/;
const number = "(-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|nan|-?inf)";

/** The lines that carry an epoch's values, in v1 and v2 wording. */
const patterns: readonly [RegExp, string, SeriesMeta][] = [
  [new RegExp(`^train[ _]loss\\s*:?\\s*${number}`, "i"), "train_loss", { metric: "loss", split: "train", role: "metric" }],
  [new RegExp(`^(?:validation|val)[ _]loss\\s*:?\\s*${number}`, "i"), "val_loss", { metric: "loss", split: "validation", role: "metric" }],
  [new RegExp(`^(?:Current learning rate|lr)\\s*:\\s*${number}`, "i"), "lr", { metric: "lr", split: "train", role: "schedule" }],
  [new RegExp(`^(?:This epoch took|Epoch time:)\\s*${number}\\s*s`, "i"), "epoch_time", { metric: "epoch_time", split: "train", role: "other" }],
];
/** `Pseudo dice [0.7617, 0.0]` (v2) or `Average global foreground Dice: [0.8, 0.6]` (v1). */
const dice = /^(?:Pseudo dice|Average global foreground Dice:)\s*\[([^\]]*)\]/i;
const epochStart = /^(?:epoch:\s*|Epoch\s+)(\d+)\s*$/;

/**
 * Reads an nnU-Net training log (`training_log_<date>.txt`, v1 and v2):
 * free text, each line after a timestamp. An epoch starts at `epoch:  N`
 * (v1) or `Epoch N` (v2) and holds the train loss, validation loss, the
 * pseudo Dice per foreground class (v1: "Average global foreground Dice")
 * and the learning rate (v1 `lr:`, v2 "Current learning rate"). The mean of
 * the class Dice is series `pseudo_dice`; each class is `pseudo_dice_<i>`.
 * An epoch ends with its time ("This epoch took", "Epoch time"): an
 * interrupted log is read up to its last complete epoch, with a warning.
 * Epochs are 0-based as nnU-Net prints them; a continued training appends
 * to the same log and repeats epochs: the later lines win. Never throws.
 */
export function parseNnUnet(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const points = new PointCollector();
  const lines = text.split("\n");
  let epoch: number | null = null;
  let epochLine = 0;
  let pending: [string, number, number | null, SeriesMeta][] = [];
  let firstLine = 0;
  const flush = () => {
    for (const [name, x, y, meta] of pending) points.add(name, "epoch", x, y, meta);
    if (pending.length > 0) points.rows++;
    pending = [];
  };
  lines.forEach((raw, i) => {
    const body = raw.replace(stamp, "").trim();
    const start = epochStart.exec(body);
    if (start !== null) {
      epoch = Number(start[1]);
      epochLine = i + 1;
      firstLine ||= i + 1;
      pending = [];
      return;
    }
    if (epoch === null) return;
    for (const [pattern, name, meta] of patterns) {
      const m = pattern.exec(body);
      if (m === null) continue;
      pending.push([name, epoch, Number(m[1]!.replace(/^-?inf$/, (s) => (s.startsWith("-") ? "-Infinity" : "Infinity"))), meta]);
      if (name === "epoch_time") {
        flush();
        epoch = null;
      }
      return;
    }
    const d = dice.exec(body);
    if (d !== null) {
      // nnU-Net v2 under NumPy 2 prints np.float32(0.8493) for each class.
      const values = d[1]!
        .replace(/np\.float\d+\(([^)]*)\)/g, "$1")
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v !== "")
        .map((v) => (/^nan$/i.test(v) ? NaN : Number(v)));
      const finite = values.filter((v) => !Number.isNaN(v));
      const split: Split = "validation";
      const role: Role = "metric";
      pending.push(["pseudo_dice", epoch, finite.length > 0 ? finite.reduce((a, b) => a + b, 0) / finite.length : null, { metric: "pseudo_dice", split, role }]);
      if (values.length > 1) {
        values.forEach((v, c) => {
          pending.push([`pseudo_dice_${c}`, epoch!, Number.isFinite(v) ? v : null, { metric: `pseudo_dice_${c}`, split, role }]);
        });
      }
    }
  });
  if (epoch !== null) {
    diagnostics.push({
      file,
      line: epochLine,
      reason: `epoch ${epoch} is incomplete (the training was interrupted, or is still running); read up to the last complete epoch`,
      expected: "an epoch ending with its time",
      fatal: false,
      ruleId: "incomplete-epoch",
    });
  }
  if (points.size === 0) {
    if (text.trim() === "")
      return {
        history: null,
        diagnostics: [{ file, line: 1, reason: "file is empty", expected: "an nnU-Net training log", actual: "no text", fatal: true, ruleId: "empty-file" }],
      };
    const expected = "nnU-Net lines 'Epoch N', 'train_loss …', 'val_loss …', 'Epoch time: … s'";
    // A log of a validation-only or prediction run is an nnU-Net log with no training in it: a warning, not a broken file.
    if (lines.some((l) => stamp.test(l))) {
      diagnostics.push({
        file,
        line: firstLine || 1,
        reason: firstLine ? "no complete epoch in the log" : "no epoch in the log (a validation-only or prediction run?); no history",
        expected,
        fatal: false,
        ruleId: "no-rows",
      });
      return { history: null, diagnostics, withoutHistory: "an nnU-Net log without training" };
    }
    diagnostics.push({ file, line: 1, reason: "not an nnU-Net log: no line starts with a timestamp", expected, fatal: true, ruleId: "not-nnunet" });
    return { history: null, diagnostics };
  }
  return { history: { file, format: "nnunet", columns: points.names(), series: points.series(), attempts: [points.attempt(firstLine)], resumes: [] }, diagnostics };
}

const nnunetLine =
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?:\s*(Epoch \d+|epoch:\s+\d+|train[_ ]loss|Current learning rate|Desired fold for training|Using splits from existing split file)/m;

/** The nnU-Net training log format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const nnUnetFormat: FormatModule = {
  format: "nnunet",
  label: "nnU-Net training log",
  names: /(^|\/)training_log_[^/]*\.txt$/,
  folder: "<task>/<trainer>/fold_N/training_log_*.txt (all logs of a fold are one run)",
  sniff: (h) => (nnunetLine.test(h.text) ? yes : /(^|\/)training_log_[^/]*\.txt$/.test(h.name) && h.text !== "" ? near("no line reads 'Epoch N' after a timestamp") : no),
  parse: (_bytes, text, file) => parseNnUnet(text, file),
};
