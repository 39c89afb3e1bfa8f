import type { Format, Split } from "./history.ts";

/** Which way is better: `"min"` for losses and errors, `"max"` for scores. */
export type StopMode = "min" | "max";

/**
 * Which EarlyStopping to replay, named by the release whose source it follows
 * (see docs/early-stopping.md, which quotes the lines):
 * - `"keras3"`: `keras.callbacks.EarlyStopping` of Keras ≥ 3.7
 *   (keras/src/callbacks/early_stopping.py since keras#20533): `best` starts
 *   as `None`, so the first monitored value becomes the best, even NaN;
 * - `"keras3.6"`: Keras 3.0–3.6, and tf-keras 2.x (tf_keras/callbacks.py):
 *   the same loop with `best` starting at ±inf;
 * - `"tf2"`: `tf.keras.callbacks.EarlyStopping` of TensorFlow 2.4–2.5
 *   (tensorflow/python/keras/callbacks.py), which the seed's 2021 runs used:
 *   the wait grows only on epochs that do not improve, and the weights are
 *   restored only when training stops.
 */
export type StopSemantics = "keras3" | "keras3.6" | "tf2";

/** The semantics runsite knows, in the order the docs list them. */
export const stopSemantics: readonly StopSemantics[] = ["keras3", "keras3.6", "tf2"];

/**
 * How the two numbers of each comparison are compared. Keras 3 passes them
 * through `keras.ops.less`/`greater`, which converts Python floats to the
 * backend's float type: float32 on TensorFlow, JAX and PyTorch; the numpy
 * backend, tf-keras and TF 2.x's `np.less` compare float64.
 */
export type StopPrecision = "float32" | "float64";

/** The callback's settings, in Keras' terms. */
export interface EarlyStoppingOptions {
  /** Which way is better (required: runsite never guesses inside the core). */
  mode: StopMode;
  /**
   * Smallest change that counts as an improvement; its sign is ignored, as
   * Keras does with `abs(min_delta)`. Default `0`, as in Keras.
   */
  minDelta?: number;
  /** Epochs without improvement after which training stops. Default `0`, as in Keras. */
  patience?: number;
  /**
   * Value the metric has to beat (by more than `minDelta`) before the wait
   * is reset; `null` for none. Default `null`, as in Keras.
   */
  baseline?: number | null;
  /** Epochs (compared with `x`) before which values are ignored. Default `0`, as in Keras. */
  startFromEpoch?: number;
  /** Default `"keras3"` (the current Keras). */
  semantics?: StopSemantics;
  /**
   * Default `"float32"` for `"keras3"` and `"keras3.6"` (Keras 3 on its
   * default backend, TensorFlow, and on JAX and PyTorch), `"float64"` for
   * `"tf2"` (`np.less`). tf-keras and Keras 3's numpy backend: `"float64"`.
   */
  precision?: StopPrecision | undefined;
}

/** What EarlyStopping would have done to one series. */
export interface StopSummary {
  mode: StopMode;
  /** The absolute `minDelta` used. */
  minDelta: number;
  patience: number;
  semantics: StopSemantics;
  precision: StopPrecision;
  /**
   * Epoch at whose end training would stop, as written in the file (Keras'
   * CSVLogger counts from 0: Keras prints this number + 1); `null` when it
   * never stops within the file.
   */
  stoppedEpoch: number | null;
  /**
   * The best epoch as the callback saw it up to the stop: the last epoch that
   * improved (by more than `minDelta`), or `null` when none did.
   */
  bestEpoch: number | null;
  /** The value at `bestEpoch`. */
  bestValue: number | null;
  /**
   * The epoch whose weights `restore_best_weights=True` leaves in the model
   * when training ends (as written in the file). Keras 3 and tf-keras keep the
   * first monitored epoch's weights until an epoch improves, so this is never
   * `null` once a value has been seen; `"tf2"` restores only when it stops
   * after an improvement, and is `null` otherwise (the model keeps its last
   * weights).
   */
  restoredEpoch: number | null;
  /** The value at `restoredEpoch`. */
  restoredValue: number | null;
  /** The value at `stoppedEpoch`. */
  valueAtStop: number | null;
  /** The last epoch in the series; `null` for an empty series. */
  finalEpoch: number | null;
  /** The value at `finalEpoch` (`null` when missing). */
  finalValue: number | null;
  /** Values the callback monitored up to the stop (missing and warm-up rows left out). */
  valuesSeen: number;
  /** Entries up to and including the stop (all of them when it never stops). */
  epochsRun: number;
  /** Entries after the stop: epochs that training would not have run. */
  epochsSaved: number;
  /**
   * How much worse the restored epoch is than the best value anywhere in the
   * series (direction-aware, ≥ 0); `null` when either is undefined or NaN.
   */
  gapToOverallBest: number | null;
}

/** One series as EarlyStopping sees it: epochs and values in file order. */
export interface StopSeries {
  readonly x: readonly number[];
  readonly y: readonly (number | null)[];
}

/**
 * Replays `keras.callbacks.EarlyStopping` over one series, as if it had
 * monitored that series during training (`on_epoch_end` per row, then
 * `on_train_end`), and reports where it would have stopped and which epoch
 * `restore_best_weights` would have restored. Pure; never reads the clock.
 *
 * Missing values (`null`) are skipped as Keras skips an absent monitor value;
 * `NaN` never improves on anything (comparisons with NaN are false), though
 * under `"keras3"` a NaN first value becomes the best.
 *
 * @example
 * earlyStopping({x: [0, 1, 2, 3], y: [0.5, 0.4, 0.41, 0.42]}, {mode: "min", patience: 2})
 * // → stoppedEpoch 3, restoredEpoch 1
 */
export function earlyStopping(series: StopSeries, options: EarlyStoppingOptions): StopSummary {
  const { x, y } = series;
  if (x.length !== y.length) throw new Error(`x and y differ in length: ${x.length} ≠ ${y.length}`);
  const mode = keyword(options.mode, "mode", ["min", "max"] as const);
  const semantics = keyword(options.semantics ?? "keras3", "semantics", stopSemantics);
  const precision = keyword(options.precision ?? (semantics === "tf2" ? "float64" : "float32"), "precision", ["float32", "float64"] as const);
  const minDelta = Math.abs(finite(options.minDelta ?? 0, "minDelta"));
  const patience = finite(options.patience ?? 0, "patience");
  if (patience < 0) throw new Error(`invalid patience: ${patience}`);
  const startFromEpoch = finite(options.startFromEpoch ?? 0, "startFromEpoch");
  const baseline = options.baseline ?? null;

  // Keras computes `current - min_delta` in Python (float64), then
  // `ops.less`/`greater` converts both operands to the backend's float:
  // Math.fround is that conversion for float32 (round to nearest even).
  const cast = precision === "float32" ? Math.fround : (v: number) => v;
  // Written so that NaN on either side yields false, as numpy and keras.ops do.
  const improves =
    mode === "min"
      ? (value: number, reference: number) => cast(value + minDelta) < cast(reference)
      : (value: number, reference: number) => cast(value - minDelta) > cast(reference);

  // keras3: `best` is None until the first monitored value (which always
  // improves on None). keras3.6 and tf-keras start from ±inf; tf2 from the
  // baseline when one is given.
  const start = mode === "min" ? Infinity : -Infinity;
  let best: number | null = semantics === "keras3" ? null : semantics === "tf2" && baseline !== null ? baseline : start;
  let wait = 0;
  let bestIndex = -1;
  let restoredIndex = -1;
  let stopIndex = -1;
  let seen = 0;
  for (let i = 0; i < x.length; i++) {
    const epoch = x[i]!;
    const value = y[i]!;
    if (value === null || epoch < startFromEpoch) continue;
    seen += 1;
    if (semantics === "tf2") {
      if (improves(value, best!)) {
        best = value;
        bestIndex = i;
        wait = 0;
      } else {
        wait += 1;
        if (wait >= patience) {
          stopIndex = i;
          // TF 2.4–2.5 restores `best_weights` here, which exist only after an improvement.
          restoredIndex = bestIndex;
          break;
        }
      }
      continue;
    }
    // Keras 3 / tf-keras: the first monitored epoch's weights are kept
    // (`best_weights is None`) until an epoch improves.
    if (restoredIndex < 0) restoredIndex = i;
    wait += 1;
    if (best === null || improves(value, best)) {
      best = value;
      bestIndex = i;
      restoredIndex = i;
      if (baseline === null || improves(value, baseline)) wait = 0;
      // An epoch that improves never stops training, even when it failed
      // to beat the baseline.
      continue;
    }
    // `epoch > 0`: Keras 3 never stops at the end of the first epoch.
    if (wait >= patience && epoch > 0) {
      stopIndex = i;
      break;
    }
  }

  const n = x.length;
  const bestValue = bestIndex < 0 ? null : y[bestIndex]!;
  const restoredValue = restoredIndex < 0 ? null : y[restoredIndex]!;
  const overall = overallBest(y, mode);
  return {
    mode,
    minDelta,
    patience,
    semantics,
    precision,
    stoppedEpoch: stopIndex < 0 ? null : x[stopIndex]!,
    bestEpoch: bestIndex < 0 ? null : x[bestIndex]!,
    bestValue,
    restoredEpoch: restoredIndex < 0 ? null : x[restoredIndex]!,
    restoredValue,
    valueAtStop: stopIndex < 0 ? null : y[stopIndex]!,
    finalEpoch: n === 0 ? null : x[n - 1]!,
    finalValue: n === 0 ? null : y[n - 1]!,
    valuesSeen: seen,
    epochsRun: stopIndex < 0 ? n : stopIndex + 1,
    epochsSaved: stopIndex < 0 ? 0 : n - stopIndex - 1,
    gapToOverallBest: restoredValue === null || Number.isNaN(restoredValue) || overall === null ? null : gap(restoredValue, overall, mode),
  };
}

/**
 * What Keras printed for this replay with `verbose=1` and
 * `restore_best_weights=True`, line by line: Keras 3 and tf-keras print
 * `Epoch 10: early stopping` (1-based) and `Restoring model weights from the
 * end of the best epoch: 7.` in `on_train_end`; TF 2.4–2.5 printed
 * `Restoring model weights from the end of the best epoch.` when it stopped
 * and `Epoch 00010: early stopping` at the end.
 */
export function kerasPrints(s: StopSummary): string[] {
  const stopped = s.stoppedEpoch !== null && s.stoppedEpoch > 0;
  if (s.semantics === "tf2") {
    return [
      ...(s.stoppedEpoch !== null && s.restoredEpoch !== null ? ["Restoring model weights from the end of the best epoch."] : []),
      ...(stopped ? [`Epoch ${String(s.stoppedEpoch! + 1).padStart(5, "0")}: early stopping`] : []),
    ];
  }
  return [
    ...(stopped ? [`Epoch ${s.stoppedEpoch! + 1}: early stopping`] : []),
    ...(s.restoredEpoch !== null ? [`Restoring model weights from the end of the best epoch: ${s.restoredEpoch + 1}.`] : []),
  ];
}

/** How a format numbers its epochs: Keras prints `x + offset`; `source` names the file's own number. */
export interface EpochNumbering {
  /** Added to the file's epoch to get the number Keras prints (1 for 0-based files). */
  offset: 0 | 1;
  /** What the file's number is called, e.g. `"CSV row epoch"`. */
  source: string;
}

// Keras' CSVLogger, Lightning's CSVLogger and fastai's CSVLogger write the
// 0-based epoch index; Ultralytics and Hugging Face count completed epochs.
const numberings: Readonly<Record<Format, EpochNumbering>> = {
  keras: { offset: 1, source: "CSV row epoch" },
  lightning: { offset: 1, source: "CSV row epoch" },
  fastai: { offset: 1, source: "CSV row epoch" },
  tensorboard: { offset: 1, source: "logged epoch" },
  ultralytics: { offset: 0, source: "CSV row epoch" },
  huggingface: { offset: 0, source: "logged epoch" },
  "hf-summary": { offset: 0, source: "logged epoch" },
  // Lists indexed from 0: Keras' history dicts, Ludwig's statistics.
  "keras-history": { offset: 1, source: "list index" },
  ludwig: { offset: 1, source: "list index" },
  // mmengine and mmdetection count epochs from 1; detectron2 and W&B log steps.
  jsonl: { offset: 0, source: "logged epoch" },
  mlflow: { offset: 1, source: "logged step" },
  "wandb-export": { offset: 1, source: "exported step" },
  simpletransformers: { offset: 0, source: "logged step" },
  // YOLOv5/v7 write `i/N` with i from 0; nnU-Net logs `epoch: 0` first.
  "yolo-txt": { offset: 1, source: "results.txt epoch" },
  nnunet: { offset: 1, source: "log epoch" },
};

/** The epoch numbering of a format (Keras' when unknown). */
export function epochNumbering(format: Format | null | undefined): EpochNumbering {
  return (format && numberings[format]) || numberings.keras;
}

/** `epoch 10 (CSV row epoch 9)`: the number Keras prints, with the file's beside it when they differ. */
export function epochWords(x: number, numbering: EpochNumbering = numberings.keras): string {
  return numbering.offset === 0 ? `epoch ${x}` : `epoch ${x + numbering.offset} (${numbering.source} ${x})`;
}

/**
 * One replay in words, as users read Keras' log:
 * `stops after epoch 10 (CSV row epoch 9), restores epoch 7 (CSV row epoch 6)`.
 */
export function stopWords(s: StopSummary, numbering: EpochNumbering = numberings.keras): string {
  if (s.valuesSeen === 0) return "no values to monitor";
  const restore =
    s.restoredEpoch !== null
      ? `restores ${epochWords(s.restoredEpoch, numbering)}`
      : s.stoppedEpoch === null
        ? "keeps the last weights (this rule restores only when it stops)"
        : "has no best weights to restore";
  return `${stopPhrase(s, numbering)}, ${restore}`;
}

/** The stop alone: `stops after epoch 10 (CSV row epoch 9)` or `does not stop within the file (…)`. */
export function stopPhrase(s: StopSummary, numbering: EpochNumbering = numberings.keras): string {
  if (s.valuesSeen === 0) return "no values to monitor";
  return s.stoppedEpoch === null ? `does not stop within the file (last ${epochWords(s.finalEpoch!, numbering)})` : `stops after ${epochWords(s.stoppedEpoch, numbering)}`;
}

/**
 * Which series the figure marks and the page's summary follows
 * (`earlyStopping.monitor`): `"validation"` (default) the validation
 * metrics, as EarlyStopping monitors `val_loss` by default; `"all"` every
 * metric; `"none"` nothing; otherwise series names exactly as in the file
 * (Keras' `monitor`, e.g. `"val_loss"` or `["val_loss", "val_sdice"]`).
 */
export type StopMonitor = string | readonly string[];

/** True when `monitor` selects this series. */
export function isMonitored(series: { name: string; split: Split }, monitor: StopMonitor = "validation"): boolean {
  if (typeof monitor !== "string") return monitor.includes(series.name);
  if (monitor === "validation") return series.split === "validation";
  if (monitor === "all") return true;
  if (monitor === "none") return false;
  return series.name === monitor;
}

/** The best value anywhere in the series, ignoring missing values and NaN; `null` if none. */
function overallBest(y: readonly (number | null)[], mode: StopMode): number | null {
  let best: number | null = null;
  for (const v of y) {
    if (v === null || Number.isNaN(v)) continue;
    if (best === null || (mode === "min" ? v < best : v > best)) best = v;
  }
  return best;
}

function gap(restored: number, overall: number, mode: StopMode): number {
  // Equal infinities would give Infinity − Infinity = NaN; they are no gap.
  if (restored === overall) return 0;
  return mode === "min" ? restored - overall : overall - restored;
}

function keyword<T extends string>(input: unknown, name: string, allowed: readonly T[]): T {
  if (!allowed.includes(input as T)) {
    throw new Error(`invalid ${name}: ${String(input)} (expected ${allowed.map((a) => `"${a}"`).join(" or ")})`);
  }
  return input as T;
}

function finite(input: unknown, name: string): number {
  if (typeof input !== "number" || !Number.isFinite(input)) throw new Error(`invalid ${name}: ${String(input)}`);
  return input;
}
