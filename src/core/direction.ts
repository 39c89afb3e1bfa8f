import type { StopMode } from "./earlyStopping.ts";

/** Where a metric's direction came from. */
export type DirectionSource = "table" | "name";

/** Which way a metric is better, and why runsite believes so. */
export interface MetricDirection {
  mode: StopMode;
  source: DirectionSource;
}

/** An entry of `content/labels/metrics.yml`, as far as directions go. */
export interface DirectionEntry {
  /** `"min"` or `"max"` (optional: inferred from the name when absent). */
  direction?: StopMode | undefined;
}

// Tokens that name something to minimise. Beyond the usual loss/error names
// this holds Keras' other minimised metrics (mape, msle, hinge, kl divergence)
// and PyTorch's nll, because they are common and never scores.
const minTokens = new Set(["loss", "error", "mse", "mae", "rmse", "mape", "msle", "rmsle", "crossentropy", "nll", "perplexity", "hinge", "divergence", "kld", "distance"]);

// Tokens that name something to maximise. `map` is mean average precision
// (Ultralytics' `metrics/mAP50-95(B)`); `iou` also stands for Keras' `io_u`.
const maxTokens = new Set(["dice", "iou", "jaccard", "acc", "accuracy", "auc", "f1", "precision", "recall", "score", "map"]);

/**
 * Says whether a metric is better low (`"min"`) or high (`"max"`). An entry
 * with a `direction` in `table` (keyed by the metric name without its split
 * prefix, as in `content/labels/metrics.yml`) wins; otherwise the direction
 * is inferred from the name's tokens. Returns `null` when neither says.
 *
 * Names are split at `_`, `/`, `-`, `.` and other punctuation, and at
 * camelCase humps, and compared case-insensitively, so that `F1_score`,
 * `val_dice_coef`, `mean_io_u`, `MeanIoU` and `metrics/mAP50-95(B)` are
 * recognised but `maelstrom` is not taken for `mae`. A token may carry a
 * numeric suffix (`map50`, `acc5`). When both kinds of token occur, min wins:
 * `dice_loss` and `iou_loss` are losses of a score.
 *
 * @example
 * metricDirection("val_loss", {}) // → {mode: "min", source: "name"}
 * metricDirection("sdice", {sdice: {direction: "max"}}) // → {mode: "max", source: "table"}
 */
export function metricDirection(metric: string, table: Readonly<Record<string, DirectionEntry | undefined>>): MetricDirection | null {
  // `hasOwn`, so that a metric named `constructor` does not find Object's.
  const entry = Object.hasOwn(table, metric) ? table[metric] : undefined;
  const direction = entry?.direction;
  if (direction === "min" || direction === "max") return { mode: direction, source: "table" };
  const mode = nameDirection(metric);
  return mode === null ? null : { mode, source: "name" };
}

/** The direction implied by a name's tokens alone; `null` when none is recognised. */
export function nameDirection(name: string): StopMode | null {
  const tokens: string[] = [];
  for (const part of name.split(/[^A-Za-z0-9]+/)) {
    if (part === "") continue;
    // The whole part first, so that `mAP50` is not cut into `m` and `AP50`.
    const lower = part.toLowerCase();
    if (known(stripDigits(lower))) tokens.push(lower);
    else tokens.push(...camelPieces(part));
  }
  let max = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = stripDigits(tokens[i]!);
    // Keras snake-cases `MeanIoU` to `mean_io_u`: rejoin `io` + `u`.
    const joined = token === "io" && tokens[i + 1] === "u" ? "iou" : token;
    if (minTokens.has(joined)) return "min";
    if (maxTokens.has(joined)) max = true;
  }
  return max ? "max" : null;
}

function known(token: string): boolean {
  return minTokens.has(token) || maxTokens.has(token);
}

/** Drops a numeric suffix (`map50` → `map`, `acc5` → `acc`) unless the digits are the name (`f1`). */
function stripDigits(token: string): string {
  if (known(token)) return token;
  return token.replace(/(?<=[a-z])\d+$/, "");
}

/** `valDiceCoef` → `val`, `dice`, `coef`; `MeanIoU` → `mean`, `io`, `u`. */
function camelPieces(part: string): string[] {
  return part
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(" ");
}
