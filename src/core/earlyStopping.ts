/** Which way is better: `"min"` for losses and errors, `"max"` for scores. */
export type StopMode = "min" | "max";

/**
 * Which EarlyStopping to replay (see docs/early-stopping.md):
 * - `"keras3"`: `keras.callbacks.EarlyStopping` of Keras 3
 *   (keras/src/callbacks/early_stopping.py);
 * - `"tf2"`: `tf.keras.callbacks.EarlyStopping` of TensorFlow 2.0–2.5
 *   (tensorflow/python/keras/callbacks.py), which the seed's runs used.
 */
export type StopSemantics = "keras3" | "tf2";

/** The callback's settings, in Keras' terms. */
export interface EarlyStoppingOptions {
  /** Which way is better (required: runsite never guesses inside the core). */
  mode: StopMode;
  /**
   * Smallest change that counts as an improvement; its sign is ignored, as
   * Keras does with `abs(min_delta)`. Default `0.005`, the seed's
   * `early_stoppings(hist, tolerance = 0.005)` (Keras' own default is 0).
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
  /** Default `"keras3"`. */
  semantics?: StopSemantics;
}

/** What EarlyStopping would have done to one series. */
export interface StopSummary {
  mode: StopMode;
  /** The absolute `minDelta` used. */
  minDelta: number;
  patience: number;
  semantics: StopSemantics;
  /** Epoch at whose end training would stop; `null` when it never stops. */
  stoppedEpoch: number | null;
  /**
   * The best epoch as the callback saw it up to the stop: the last epoch that
   * improved by more than `minDelta` (the one `restore_best_weights` restores);
   * `null` when no value ever improved.
   */
  bestEpoch: number | null;
  /** The value at `bestEpoch`. */
  bestValue: number | null;
  /** The value at `stoppedEpoch`. */
  valueAtStop: number | null;
  /** The last epoch in the series; `null` for an empty series. */
  finalEpoch: number | null;
  /** The value at `finalEpoch` (`null` when missing). */
  finalValue: number | null;
  /** Entries up to and including the stop (all of them when it never stops). */
  epochsRun: number;
  /** Entries after the stop: epochs that training would not have run. */
  epochsSaved: number;
  /**
   * How much worse the restored best is than the best value anywhere in the
   * series (direction-aware, ≥ 0); `null` when either is undefined.
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
 * monitored that series during training, and reports where it would have
 * stopped and which epoch it would have kept. Pure; never reads the clock.
 *
 * Missing values (`null`) are skipped as Keras skips an absent monitor value;
 * `NaN` is a value that never improves (comparisons with NaN are false).
 *
 * @example
 * earlyStopping({x: [0, 1, 2, 3], y: [0.5, 0.4, 0.41, 0.42]}, {mode: "min", patience: 2})
 * // → stoppedEpoch 3, bestEpoch 1
 */
export function earlyStopping(series: StopSeries, options: EarlyStoppingOptions): StopSummary {
  const { x, y } = series;
  if (x.length !== y.length) throw new Error(`x and y differ in length: ${x.length} ≠ ${y.length}`);
  const mode = keyword(options.mode, "mode", ["min", "max"] as const);
  const semantics = keyword(options.semantics ?? "keras3", "semantics", ["keras3", "tf2"] as const);
  // 0.005 is the seed's `tolerance`: the analysis replays how these runs were trained.
  const minDelta = Math.abs(finite(options.minDelta ?? 0.005, "minDelta"));
  const patience = finite(options.patience ?? 0, "patience");
  if (patience < 0) throw new Error(`invalid patience: ${patience}`);
  const startFromEpoch = finite(options.startFromEpoch ?? 0, "startFromEpoch");
  const baseline = options.baseline ?? null;

  // Written so that NaN on either side yields false, as numpy and keras.ops do.
  const improves =
    mode === "min"
      ? (value: number, reference: number) => value + minDelta < reference
      : (value: number, reference: number) => value - minDelta > reference;

  // Keras 3 always starts from ±inf; tf.keras 2.0–2.5 started from the baseline.
  let best = semantics === "tf2" && baseline !== null ? baseline : mode === "min" ? Infinity : -Infinity;
  let wait = 0;
  let bestIndex = -1;
  let stopIndex = -1;
  for (let i = 0; i < x.length; i++) {
    const epoch = x[i]!;
    const value = y[i]!;
    if (value === null || epoch < startFromEpoch) continue;
    if (semantics === "keras3") {
      wait += 1;
      if (improves(value, best)) {
        best = value;
        bestIndex = i;
        if (baseline === null || improves(value, baseline)) wait = 0;
        // Keras 3 returns here: an epoch that improves never stops training,
        // even when it failed to beat the baseline.
        continue;
      }
      // `epoch > 0`: Keras 3 never stops at the end of the first epoch.
      if (wait >= patience && epoch > 0) {
        stopIndex = i;
        break;
      }
    } else if (improves(value, best)) {
      best = value;
      bestIndex = i;
      wait = 0;
    } else {
      wait += 1;
      if (wait >= patience) {
        stopIndex = i;
        break;
      }
    }
  }

  const n = x.length;
  const bestValue = bestIndex < 0 ? null : y[bestIndex]!;
  const overall = overallBest(y, mode);
  return {
    mode,
    minDelta,
    patience,
    semantics,
    stoppedEpoch: stopIndex < 0 ? null : x[stopIndex]!,
    bestEpoch: bestIndex < 0 ? null : x[bestIndex]!,
    bestValue,
    valueAtStop: stopIndex < 0 ? null : y[stopIndex]!,
    finalEpoch: n === 0 ? null : x[n - 1]!,
    finalValue: n === 0 ? null : y[n - 1]!,
    epochsRun: stopIndex < 0 ? n : stopIndex + 1,
    epochsSaved: stopIndex < 0 ? 0 : n - stopIndex - 1,
    gapToOverallBest: bestValue === null || overall === null ? null : gap(bestValue, overall, mode),
  };
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
