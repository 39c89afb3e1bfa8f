import { readFileSync } from "node:fs";
import { csvParse } from "d3-dsv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { earlyStopping, type EarlyStoppingOptions, type StopSeries } from "../../src/core/earlyStopping.ts";

/** A series with epochs 0, 1, 2, … as Keras' CSVLogger writes them. */
function epochs(...y: (number | null)[]): StopSeries {
  return { x: y.map((_, i) => i), y };
}

describe("earlyStopping, hand-worked", () => {
  it("earlyStopping(series, {patience: 3}) stops 3 epochs after the last improvement", () => {
    // best at 2 (0.8); 3, 4, 5 fail to improve, so wait reaches 3 at epoch 5.
    const s = earlyStopping(epochs(1, 0.9, 0.8, 0.85, 0.81, 0.82, 0.7), { mode: "min", minDelta: 0, patience: 3 });
    expect(s).toMatchObject({
      mode: "min",
      minDelta: 0,
      patience: 3,
      semantics: "keras3",
      stoppedEpoch: 5,
      bestEpoch: 2,
      bestValue: 0.8,
      valueAtStop: 0.82,
      finalEpoch: 6,
      finalValue: 0.7,
      epochsRun: 6,
      epochsSaved: 1,
    });
    expect(s.gapToOverallBest).toBeCloseTo(0.1, 12);
  });

  it("earlyStopping(series, {minDelta: 0.005}) needs an improvement larger than minDelta", () => {
    // 0.998 + 0.005 = 1.003 is not below 1: no improvement, so epoch 0 stays the best.
    const s = earlyStopping(epochs(1, 0.998, 0.997, 0.996), { mode: "min", minDelta: 0.005, patience: 2 });
    expect(s).toMatchObject({ minDelta: 0.005, stoppedEpoch: 2, bestEpoch: 0, bestValue: 1, epochsSaved: 1 });
    expect(s.gapToOverallBest).toBeCloseTo(0.004, 12);
  });

  it('earlyStopping(series, {mode: "max"}) counts rises as improvements', () => {
    const s = earlyStopping(epochs(0.5, 0.6, 0.59, 0.61), { mode: "max", patience: 1 });
    expect(s).toMatchObject({ stoppedEpoch: 2, bestEpoch: 1, bestValue: 0.6, valueAtStop: 0.59, gapToOverallBest: 0.010000000000000009 });
  });

  it("earlyStopping(series, {minDelta: -0.005}) uses the absolute value, as Keras does", () => {
    const s = earlyStopping(epochs(1, 0.998, 0.997), { mode: "min", minDelta: -0.005, patience: 2 });
    expect(s).toMatchObject({ minDelta: 0.005, stoppedEpoch: 2, bestEpoch: 0 });
  });

  it("earlyStopping(series, {patience: 0}) stops at the first epoch that does not improve", () => {
    const s = earlyStopping(epochs(3, 2, 2, 1), { mode: "min", minDelta: 0, patience: 0 });
    expect(s).toMatchObject({ stoppedEpoch: 2, bestEpoch: 1, epochsRun: 3, epochsSaved: 1 });
  });

  it("earlyStopping(series, {}) never stops a steadily improving series", () => {
    const s = earlyStopping(epochs(5, 4, 3, 2, 1), { mode: "min", patience: 0 });
    expect(s).toMatchObject({ stoppedEpoch: null, valueAtStop: null, bestEpoch: 4, epochsRun: 5, epochsSaved: 0, gapToOverallBest: 0 });
  });

  it("earlyStopping(series, {}) stops a constant series once patience runs out", () => {
    for (const semantics of ["keras3", "tf2"] as const) {
      const s = earlyStopping(epochs(1, 1, 1, 1, 1), { mode: "min", minDelta: 0, patience: 2, semantics });
      expect(s).toMatchObject({ stoppedEpoch: 2, bestEpoch: 0, bestValue: 1, gapToOverallBest: 0 });
    }
  });

  it("earlyStopping(series, {}) treats NaN as a value that never improves", () => {
    const s = earlyStopping(epochs(1, NaN, NaN, 0.5), { mode: "min", patience: 2 });
    expect(s).toMatchObject({ stoppedEpoch: 2, bestEpoch: 0, valueAtStop: NaN, gapToOverallBest: 0.5 });
  });

  it("earlyStopping(series, {patience: 0}) with NaN first: keras3 keeps NaN as the best, keras3.6 never stops at epoch 0, tf2 does", () => {
    const series = epochs(NaN, 1, 1, 1);
    // Keras ≥ 3.7: `best` starts as None, so NaN becomes the best and nothing improves on it.
    expect(earlyStopping(series, { mode: "min", patience: 0 })).toMatchObject({ stoppedEpoch: 1, bestEpoch: 0, restoredEpoch: 0, gapToOverallBest: null });
    expect(earlyStopping(series, { mode: "min", patience: 0, semantics: "keras3.6" })).toMatchObject({ stoppedEpoch: 2, bestEpoch: 1, restoredEpoch: 1 });
    expect(earlyStopping(series, { mode: "min", patience: 0, semantics: "tf2" })).toMatchObject({
      restoredEpoch: null,
      stoppedEpoch: 0,
      bestEpoch: null,
      bestValue: null,
      valueAtStop: NaN,
      epochsRun: 1,
      epochsSaved: 3,
      gapToOverallBest: null,
    });
  });

  it("earlyStopping(series, {patience: length}) can still stop an all-NaN series at its last epoch under keras3.6", () => {
    // No value improves on +inf, so the wait reaches the series' length there (and `epoch > 0` holds).
    expect(earlyStopping(epochs(NaN, NaN), { mode: "min", patience: 2, semantics: "keras3.6" })).toMatchObject({ stoppedEpoch: 1, restoredEpoch: 0 });
    // keras3: the first NaN is the best and resets the wait, so patience 2 is not reached.
    expect(earlyStopping(epochs(NaN, NaN), { mode: "min", patience: 2 })).toMatchObject({ stoppedEpoch: null, restoredEpoch: 0 });
  });

  it("earlyStopping(series, {}) follows the issue's examples: NaN first, the worst infinity first, nothing improving", () => {
    // loss = nan, 0.5, 0.4, patience 0: Keras ≥ 3.7 stops at epoch 1 and restores epoch 0.
    expect(earlyStopping(epochs(NaN, 0.5, 0.4), { mode: "min", patience: 0 })).toMatchObject({ stoppedEpoch: 1, restoredEpoch: 0 });
    expect(earlyStopping(epochs(NaN, 0.5, 0.4), { mode: "min", patience: 0, minDelta: 0.05 })).toMatchObject({ stoppedEpoch: 1, restoredEpoch: 0 });
    // loss = inf ×4, patience 3: Keras stops at 3 and restores 0; keras3.6 stops at 2, restoring 0 as well.
    expect(earlyStopping(epochs(Infinity, Infinity, Infinity, Infinity), { mode: "min", patience: 3 })).toMatchObject({ stoppedEpoch: 3, restoredEpoch: 0 });
    expect(earlyStopping(epochs(Infinity, Infinity, Infinity, Infinity), { mode: "min", patience: 3, semantics: "keras3.6" })).toMatchObject({
      stoppedEpoch: 2,
      restoredEpoch: 0,
      bestEpoch: null,
    });
    // A resumed file whose first row is -inf in max mode: keras3 keeps it as the best instead of stopping there.
    expect(earlyStopping({ x: [4, 5], y: [-Infinity, 0.5] }, { mode: "max", patience: 0 })).toMatchObject({ stoppedEpoch: null, restoredEpoch: 5 });
    expect(earlyStopping({ x: [4, 5], y: [-Infinity, 0.5] }, { mode: "max", patience: 0, semantics: "keras3.6" })).toMatchObject({ stoppedEpoch: 4, restoredEpoch: 4 });
  });

  it("earlyStopping(series, {precision}) compares float32 (Keras 3 on TensorFlow/JAX/PyTorch) or float64 (numpy, tf-keras)", () => {
    // 0.3 − 0.005 exactly, then 1e-12 less: a step of min_delta + 1e-12 improves only in float64.
    const series = epochs(0.3, 0.3 - 0.005 - 1e-12);
    expect(earlyStopping(series, { mode: "min", minDelta: 0.005, patience: 0, precision: "float64" })).toMatchObject({ stoppedEpoch: null, restoredEpoch: 1 });
    expect(earlyStopping(series, { mode: "min", minDelta: 0.005, patience: 0, precision: "float32" })).toMatchObject({ stoppedEpoch: 1, restoredEpoch: 0 });
    expect(earlyStopping(series, { mode: "min" })).toMatchObject({ precision: "float32" });
    expect(earlyStopping(series, { mode: "min", semantics: "tf2" })).toMatchObject({ precision: "float64" });
  });

  it("earlyStopping(series, {}) treats Infinity like NaN in min mode: it cannot beat the starting +inf", () => {
    const series = epochs(Infinity, 2, 1);
    expect(earlyStopping(series, { mode: "min", patience: 0, semantics: "keras3.6" })).toMatchObject({ stoppedEpoch: null, bestEpoch: 2 });
    expect(earlyStopping(series, { mode: "min", patience: 0, semantics: "tf2" })).toMatchObject({ stoppedEpoch: 0 });
    // keras3: +inf first is the best; 2 improves on it.
    expect(earlyStopping(series, { mode: "min", patience: 0 })).toMatchObject({ stoppedEpoch: null, bestEpoch: 2 });
  });

  it("earlyStopping(series, {}) keeps -Infinity as the best in min mode with no gap", () => {
    const s = earlyStopping(epochs(1, -Infinity, 0), { mode: "min", patience: 1 });
    expect(s).toMatchObject({ stoppedEpoch: 2, bestEpoch: 1, bestValue: -Infinity, gapToOverallBest: 0 });
  });

  it("earlyStopping(series, {}) skips missing values without counting them", () => {
    const s = earlyStopping(epochs(1, null, null, 0.9, null, 0.95), { mode: "min", minDelta: 0, patience: 2 });
    // Only epochs 0, 3 and 5 are seen: 3 improves, 5 is the first miss, so the wait is 1.
    expect(s).toMatchObject({ stoppedEpoch: null, bestEpoch: 3, epochsRun: 6, finalValue: 0.95 });
  });

  it("earlyStopping(series, {baseline}) never beaten: keras3 keeps tracking the best, tf2 stops after patience", () => {
    const series = epochs(0.9, 0.8, 0.7, 0.6, 0.95);
    const options: EarlyStoppingOptions = { mode: "min", minDelta: 0, patience: 2, baseline: 0.5 };
    // keras3: 0–3 improve on the best (no wait reset, and no stop check on improving epochs); 4 stops with wait 5.
    expect(earlyStopping(series, options)).toMatchObject({ stoppedEpoch: 4, bestEpoch: 3, bestValue: 0.6, valueAtStop: 0.95 });
    // tf2: the best starts at 0.5, so nothing improves and the wait reaches 2 at epoch 1.
    expect(earlyStopping(series, { ...options, semantics: "tf2" })).toMatchObject({
      stoppedEpoch: 1,
      bestEpoch: null,
      bestValue: null,
      gapToOverallBest: null,
    });
  });

  it("earlyStopping(series, {baseline, patience: 0}) in keras3 never stops while the best keeps improving", () => {
    const series = epochs(0.9, 0.8);
    expect(earlyStopping(series, { mode: "min", patience: 0, baseline: 0.5 })).toMatchObject({ stoppedEpoch: null, bestEpoch: 1 });
    expect(earlyStopping(series, { mode: "min", patience: 0, baseline: 0.5, semantics: "tf2" })).toMatchObject({ stoppedEpoch: 0 });
  });

  it("earlyStopping(series, {baseline}) beaten: both semantics reset the wait there", () => {
    const series = epochs(0.9, 0.4, 0.45, 0.46);
    for (const semantics of ["keras3", "tf2"] as const) {
      const s = earlyStopping(series, { mode: "min", minDelta: 0, patience: 2, baseline: 0.5, semantics });
      expect(s).toMatchObject({ stoppedEpoch: 3, bestEpoch: 1, bestValue: 0.4 });
    }
  });

  it("earlyStopping(series, {startFromEpoch: 2}) ignores the warm-up epochs", () => {
    const series = epochs(0.1, 0.2, 1, 0.9, 0.95, 0.96);
    expect(earlyStopping(series, { mode: "min", minDelta: 0, patience: 2 })).toMatchObject({ stoppedEpoch: 2, bestEpoch: 0 });
    const s = earlyStopping(series, { mode: "min", minDelta: 0, patience: 2, startFromEpoch: 2 });
    // The overall best (0.1) lies in the warm-up, hence the gap.
    expect(s).toMatchObject({ stoppedEpoch: 5, bestEpoch: 3, bestValue: 0.9, epochsSaved: 0 });
    expect(s.gapToOverallBest).toBeCloseTo(0.8, 12);
  });

  it("earlyStopping(series, {}) compares epochs as written: a resumed run may stop at its first row", () => {
    const s = earlyStopping({ x: [5, 6], y: [NaN, NaN] }, { mode: "min", patience: 0, semantics: "keras3.6" });
    expect(s).toMatchObject({ stoppedEpoch: 5, restoredEpoch: 5, epochsRun: 1, epochsSaved: 1, finalEpoch: 6 });
    // keras3: the first NaN becomes the best; the second cannot improve on it.
    expect(earlyStopping({ x: [5, 6], y: [NaN, NaN] }, { mode: "min", patience: 0 })).toMatchObject({ stoppedEpoch: 6, restoredEpoch: 5 });
  });

  it("earlyStopping(series, {}) on a single epoch never stops", () => {
    for (const semantics of ["keras3", "keras3.6", "tf2"] as const) {
      expect(earlyStopping(epochs(0.3), { mode: "max", patience: 0, semantics })).toEqual({
        mode: "max",
        minDelta: 0,
        patience: 0,
        semantics,
        precision: semantics === "tf2" ? "float64" : "float32",
        stoppedEpoch: null,
        bestEpoch: 0,
        bestValue: 0.3,
        restoredEpoch: semantics === "tf2" ? null : 0,
        restoredValue: semantics === "tf2" ? null : 0.3,
        valueAtStop: null,
        valuesSeen: 1,
        finalEpoch: 0,
        finalValue: 0.3,
        epochsRun: 1,
        epochsSaved: 0,
        gapToOverallBest: semantics === "tf2" ? null : 0,
      });
    }
  });

  it("earlyStopping(series, {}) on all-missing and empty series reports nothing", () => {
    expect(earlyStopping(epochs(null, null), { mode: "min" })).toMatchObject({
      stoppedEpoch: null,
      bestEpoch: null,
      bestValue: null,
      finalEpoch: 1,
      finalValue: null,
      epochsRun: 2,
      epochsSaved: 0,
      gapToOverallBest: null,
    });
    expect(earlyStopping(epochs(), { mode: "min" })).toMatchObject({ finalEpoch: null, finalValue: null, epochsRun: 0 });
  });

  it("earlyStopping(series, options) rejects invalid options", () => {
    const series = epochs(1);
    expect(() => earlyStopping(series, { mode: "maximum" as "max" })).toThrowErrorMatchingInlineSnapshot(`[Error: invalid mode: maximum (expected "min" or "max")]`);
    expect(() => earlyStopping(series, { mode: "min", patience: -1 })).toThrowErrorMatchingInlineSnapshot(`[Error: invalid patience: -1]`);
    expect(() => earlyStopping(series, { mode: "min", minDelta: NaN })).toThrowErrorMatchingInlineSnapshot(`[Error: invalid minDelta: NaN]`);
    expect(() => earlyStopping(series, { mode: "min", semantics: "tf1" as "tf2" })).toThrowErrorMatchingInlineSnapshot(
      `[Error: invalid semantics: tf1 (expected "keras3" or "keras3.6" or "tf2")]`,
    );
    expect(() => earlyStopping({ x: [0, 1], y: [1] }, { mode: "min" })).toThrowErrorMatchingInlineSnapshot(`[Error: x and y differ in length: 2 ≠ 1]`);
  });
});

describe("earlyStopping on the sample run", () => {
  // Trained with EarlyStopping(monitor="val_loss", min_delta=0.005, patience=3); planned 40 epochs, ran 10.
  const file = new URL("../../runs/2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20.csv", import.meta.url);
  const rows = csvParse(readFileSync(file, "utf8"));
  const valLoss: StopSeries = { x: rows.map((r) => Number(r["epoch"])), y: rows.map((r) => Number(r["val_loss"])) };

  it("earlyStopping(val_loss, {minDelta: 0.005, patience: 3}) stops at epoch 9, the file's last, in both semantics", () => {
    expect(valLoss.x).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const semantics of ["keras3", "keras3.6", "tf2"] as const) {
      const s = earlyStopping(valLoss, { mode: "min", minDelta: 0.005, patience: 3, semantics });
      // Keras printed "Epoch 10: early stopping" and restored epoch 7 (1-based).
      expect(s).toMatchObject({ stoppedEpoch: 9, bestEpoch: 6, restoredEpoch: 6, finalEpoch: 9, epochsRun: 10, epochsSaved: 0 });
      expect(s.bestValue).toBeCloseTo(0.004781939235388064, 15);
      expect(s.gapToOverallBest).toBeCloseTo(0.004781939235388064 - 0.001413555706248564, 15);
    }
  });

  it("earlyStopping(val_loss, {patience: 2 or 4}) does not reproduce the run: only patience 3 does", () => {
    expect(earlyStopping(valLoss, { mode: "min", minDelta: 0.005, patience: 2 }).stoppedEpoch).toBe(8);
    expect(earlyStopping(valLoss, { mode: "min", minDelta: 0.005, patience: 4 }).stoppedEpoch).toBe(null);
    // val_loss falls at every epoch, so without min_delta nothing would stop it.
    expect(earlyStopping(valLoss, { mode: "min", minDelta: 0, patience: 3 }).stoppedEpoch).toBe(null);
  });
});

describe("earlyStopping, properties", () => {
  const value = fc.oneof(
    { arbitrary: fc.double({ min: -10, max: 10, noNaN: true }), weight: 6 },
    // Small integers make ties and exact min_delta boundaries likely.
    { arbitrary: fc.integer({ min: 0, max: 4 }), weight: 3 },
    { arbitrary: fc.constantFrom<number | null>(null, NaN, Infinity, -Infinity), weight: 1 },
  );
  const series = fc.array(value, { maxLength: 30 }).map((y) => epochs(...y));
  const options = fc.record({
    mode: fc.constantFrom("min" as const, "max" as const),
    minDelta: fc.constantFrom(0, 0.005, 0.5, 1),
    patience: fc.integer({ min: 0, max: 8 }),
    baseline: fc.option(fc.double({ min: -10, max: 10, noNaN: true })),
    startFromEpoch: fc.integer({ min: 0, max: 6 }),
    semantics: fc.constantFrom("keras3" as const, "keras3.6" as const, "tf2" as const),
    precision: fc.constantFrom("float32" as const, "float64" as const),
  });
  const params = { seed: 20210312, numRuns: 2000 };

  /** Epochs the callback sees (value present, past the warm-up) in (after, upTo]. */
  function monitored(s: StopSeries, o: EarlyStoppingOptions, after: number, upTo: number): number {
    return s.x.filter((x, i) => s.y[i] !== null && x >= (o.startFromEpoch ?? 0) && x > after && x <= upTo).length;
  }

  it("earlyStopping(series, options) never stops before its best epoch, and run + saved = length", () => {
    fc.assert(
      fc.property(series, options, (s, o) => {
        const r = earlyStopping(s, o);
        if (r.stoppedEpoch !== null && r.bestEpoch !== null) expect(r.bestEpoch).toBeLessThan(r.stoppedEpoch);
        expect(r.epochsRun + r.epochsSaved).toBe(s.x.length);
        if (r.gapToOverallBest !== null) expect(r.gapToOverallBest).toBeGreaterThanOrEqual(0);
      }),
      params,
    );
  });

  it("earlyStopping(series, options) stops at least patience epochs after the last reset of the wait", () => {
    // Without a keras3 baseline every improvement resets the wait, so the last reset is the best epoch.
    const noKeras3Baseline = options.map((o) => (o.semantics !== "tf2" ? { ...o, baseline: null } : o));
    fc.assert(
      fc.property(series, noKeras3Baseline, (s, o) => {
        const r = earlyStopping(s, o);
        if (r.stoppedEpoch === null) return;
        const waited = monitored(s, o, r.bestEpoch ?? -Infinity, r.stoppedEpoch);
        // An improving epoch never stops training, so even patience 0 waits one epoch.
        expect(waited).toBeGreaterThanOrEqual(Math.max(o.patience, 1));
      }),
      params,
    );
  });

  it("earlyStopping(series, options) restores an epoch once any value was seen, under keras3 and keras3.6", () => {
    fc.assert(
      fc.property(series, options, (s, o) => {
        const r = earlyStopping(s, o);
        if (o.semantics === "tf2") return;
        expect(r.restoredEpoch === null).toBe(r.valuesSeen === 0);
        // Keras restores the last improving epoch, else the first one it monitored.
        expect(r.restoredEpoch).toBe(r.bestEpoch ?? s.x.find((x, i) => s.y[i] !== null && x >= o.startFromEpoch) ?? null);
      }),
      params,
    );
  });

  it("earlyStopping(series, {patience}) never stops when patience exceeds the run's length", () => {
    fc.assert(
      fc.property(series, options, (s, o) => {
        expect(earlyStopping(s, { ...o, patience: s.x.length + 1 }).stoppedEpoch).toBe(null);
      }),
      params,
    );
  });

  it("earlyStopping(series, {patience: length}) never stops a finite series without baseline", () => {
    // With a NaN (or a non-improving ±inf) first, or a baseline, patience = length can stop at the last epoch.
    const finiteSeries = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { maxLength: 30 }).map((y) => epochs(...y));
    fc.assert(
      fc.property(finiteSeries, options, (s, o) => {
        const r = earlyStopping(s, { ...o, baseline: null, startFromEpoch: 0, patience: s.x.length });
        expect(r.stoppedEpoch).toBe(null);
      }),
      params,
    );
  });

  it("earlyStopping(series, {semantics}) stops where keras3, keras3.6 and tf2 agree without a baseline and with a finite first value", () => {
    fc.assert(
      fc.property(series, options, (s, o) => {
        const first = s.y.find((v, i) => v !== null && s.x[i]! >= o.startFromEpoch);
        fc.pre(first !== undefined && first !== null && Number.isFinite(first));
        // Same precision, so that only the control flow differs; tf2 restores only when it stops.
        const pick = ({ semantics: _s, restoredEpoch: _r, restoredValue: _v, gapToOverallBest: _g, ...rest }: ReturnType<typeof earlyStopping>) => rest;
        const keras3 = earlyStopping(s, { ...o, baseline: null, semantics: "keras3", precision: "float64" });
        const keras36 = earlyStopping(s, { ...o, baseline: null, semantics: "keras3.6", precision: "float64" });
        const tf2 = earlyStopping(s, { ...o, baseline: null, semantics: "tf2", precision: "float64" });
        expect(pick(tf2)).toEqual(pick(keras3));
        expect(keras36).toEqual({ ...keras3, semantics: "keras3.6" });
        if (tf2.stoppedEpoch !== null) expect(tf2.restoredEpoch).toBe(keras3.restoredEpoch);
      }),
      params,
    );
  });

  it("earlyStopping(series, {startFromEpoch}) ignores changes to the values before it", () => {
    fc.assert(
      fc.property(series, series, options, (s, noise, o) => {
        const changed = epochs(...s.y.map((v, i) => (i < o.startFromEpoch ? (noise.y[i] ?? null) : v)));
        const a = earlyStopping(s, o);
        const b = earlyStopping(changed, o);
        // The gap is measured against the whole series, warm-up included, so it may differ.
        const { gapToOverallBest: _a, finalValue: _fa, ...decisionA } = a;
        const { gapToOverallBest: _b, finalValue: _fb, ...decisionB } = b;
        expect(decisionB).toEqual(decisionA);
      }),
      params,
    );
  });
});
