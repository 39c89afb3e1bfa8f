import type { Role, Split } from "../history.ts";

/** Split prefixes, longest first so `valid_` is not read as `val` + `id_`. */
const prefixes: readonly (readonly [string, Split])[] = [
  ["validation_", "validation"],
  ["validation/", "validation"],
  ["valid_", "validation"],
  ["valid/", "validation"],
  ["val_", "validation"],
  ["val/", "validation"],
  ["eval_", "validation"],
  ["eval/", "validation"],
  ["test_", "test"],
  ["test/", "test"],
  ["train_", "train"],
  ["train/", "train"],
];

const splitWords: Readonly<Record<string, Split>> = {
  train: "train",
  val: "validation",
  valid: "validation",
  validation: "validation",
  eval: "validation",
  test: "test",
};

/** A split word between `_` or `/` separators anywhere in a name. */
const splitWord = /(^|[_/])(train|validation|valid|val|eval|test)(?=$|[_/])/i;

/**
 * Splits a logged name into its split and metric, the way Keras, Lightning,
 * Hugging Face and TensorBoard users name things: a prefix `val_`, `val/`,
 * `valid_`, `eval_` (validation), `test_`, `test/` (test) or `train_`,
 * `train/` (train) is removed; otherwise a split word elsewhere in the name
 * counts (`Loss/train` is the train `Loss`, `avg_test_acc` the test
 * `avg_acc`); a name without one is a training series. The name itself is
 * never changed.
 *
 * @example splitName("val_loss") // {split: "validation", metric: "loss"}
 */
export function splitName(name: string): { split: Split; metric: string } {
  const lower = name.toLowerCase();
  for (const [prefix, split] of prefixes) {
    if (lower.startsWith(prefix) && name.length > prefix.length) return { split, metric: name.slice(prefix.length) };
  }
  const match = splitWord.exec(name);
  if (match !== null) {
    const before = name.slice(0, match.index);
    const after = name.slice(match.index + match[0].length);
    const metric = before === "" ? after.slice(1) : before + after;
    if (metric !== "") return { split: splitWords[match[2]!.toLowerCase()]!, metric };
  }
  return { split: "train", metric: name };
}

/** Learning-rate names: `lr`, `learning_rate`, `lr-Adam` (Lightning), `x/lr0` (YOLOv5), `lr/pg0`, `train/lr`. */
const schedule = /(^|[_/-])(lr\d*|learning_rate)($|[_/-])/i;

/** Bookkeeping that is kept but never analysed: timings, throughput, FLOPs, token counts. */
const other = /(^|[_/])(time|runtime|total_flos|flos|eta_seconds|num_input_tokens_seen)$|_per_second$/i;

/**
 * The role of a series from its name: learning rates are schedules, wall
 * times and throughput are `other`, the rest are metrics.
 */
export function roleOf(name: string): Role {
  if (schedule.test(name)) return "schedule";
  if (other.test(name)) return "other";
  return "metric";
}
