import { describe, expect, it } from "vitest";
import { extentWithin, formatX, logTicks, nearestIndex, parseSmoothing, scale, smooth, ticks } from "../../src/client/figureMath.ts";

describe("figureMath", () => {
  it("smooth(values, weight) is TensorBoard's debiased EMA: the first value is kept, missing values skipped", () => {
    const w = 0.6;
    const out = smooth([1, 2, null, 4], w);
    // By hand: last = 0.4, 0.4·0.6 + 0.4·2 = 1.04, then 1.04·0.6 + 0.4·4 = 2.224; debiased by 1 − 0.6^n.
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(1.04 / (1 - 0.36), 12);
    expect(out[2]).toBeNull();
    expect(out[3]).toBeCloseTo(2.224 / (1 - 0.216), 12);
    expect(smooth([3, 1], 0)).toEqual([3, 1]);
    // A constant stays constant at any weight: debiasing removes the pull towards 0.
    for (const v of smooth([5, 5, 5, 5], 0.9)) expect(v).toBeCloseTo(5, 12);
  });
  it("nearestIndex(xs, x) finds the nearest epoch by bisection", () => {
    const xs = [0, 1, 2, 5, 9];
    expect([-3, 0.4, 0.6, 3.4, 3.6, 8, 20].map((x) => nearestIndex(xs, x))).toEqual([0, 0, 1, 2, 3, 4, 4]);
    expect(nearestIndex([], 1)).toBe(-1);
  });
  it("scale(log, domain, range) inverts what it applies, linear and log", () => {
    for (const s of [scale(false, [0, 299], [56, 306]), scale(true, [1e-7, 1e-3], [196, 8])]) {
      for (const v of [s.domain[0], (s.domain[0] + s.domain[1]) / 2, s.domain[1]]) expect(s.invert(s.apply(v)) / v || 1).toBeCloseTo(1, 9);
    }
    expect(scale(false, [0, 10], [0, 100]).apply(2.5)).toBe(25);
    expect(scale(true, [1, 100], [0, 100]).apply(10)).toBeCloseTo(50, 9);
  });
  it("extentWithin(xs, ys, x0, x1) fits y to the visible epochs, ignoring missing values", () => {
    expect(extentWithin([0, 1, 2, 3], [5, null, 1, 9], 0, 2)).toEqual([1, 5]);
    expect(extentWithin([0, 1], [-1, 2], 0, 1, true)).toEqual([2, 2]);
    expect(extentWithin([0, 1], [1, 2], 5, 6)).toBeNull();
  });
  it("ticks(a, b, n) are round steps; logTicks(a, b) are decades", () => {
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0.9, 1, 5)).toEqual([0.9, 0.92, 0.94, 0.96, 0.98, 1]);
    expect(logTicks(1e-7, 1e-3)).toEqual([1e-7, 1e-6, 1e-5, 1e-4, 1e-3]);
  });
  it("formatX(x, axis, keras) says epochs as Keras prints them, with the CSV's number", () => {
    expect(formatX(9, "epoch", true)).toBe("epoch 10 (CSV 9)");
    expect(formatX(9, "epoch", false)).toBe("epoch 9");
    expect(formatX(1200, "step", true)).toBe("step 1200");
  });
  it("parseSmoothing(search) reads ?smooth= within [0, 0.99]", () => {
    expect(parseSmoothing("?smooth=0.6")).toBe(0.6);
    expect(parseSmoothing("?smooth=7")).toBe(0.99);
    expect(parseSmoothing("?smooth=x")).toBe(0);
    expect(parseSmoothing("")).toBe(0);
  });
});
