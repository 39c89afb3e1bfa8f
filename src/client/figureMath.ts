/**
 * The arithmetic behind the figures' interaction (src/client/figure.ts):
 * scales, ticks, smoothing and nearest-point lookup. Pure: runs in the
 * browser and in Node tests alike.
 */

/** A continuous scale as the renderer writes it (`data-scales`): type, domain, range. */
export type ScaleSpec = [type: string, d0: number, d1: number, r0: number, r1: number];

/** A scale's forward and inverse mapping. */
export interface Scale {
  log: boolean;
  domain: [number, number];
  range: [number, number];
  apply(v: number): number;
  invert(px: number): number;
}

/** A linear or log scale from domain to range (log: both domain ends > 0). */
export function scale(log: boolean, domain: [number, number], range: [number, number]): Scale {
  const t = log ? Math.log : (v: number) => v;
  const u = log ? Math.exp : (v: number) => v;
  const [a, b] = [t(domain[0]), t(domain[1])];
  const k = b === a ? 0 : (range[1] - range[0]) / (b - a);
  return {
    log,
    domain,
    range,
    apply: (v) => range[0] + (t(v) - a) * k,
    invert: (px) => u(k === 0 ? a : a + (px - range[0]) / k),
  };
}

/** The scale a `data-scales` entry describes. */
export function scaleOf(spec: ScaleSpec): Scale {
  return scale(spec[0] === "log", [spec[1], spec[2]], [spec[3], spec[4]]);
}

/**
 * TensorBoard's smoothing: an exponential moving average, debiased so the
 * first points are not pulled towards 0 (`weight` in [0, 1); 0 leaves the
 * values as they are). Missing values stay missing and are skipped.
 */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (!(weight > 0)) return [...values];
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}

/** Index of the value in ascending `xs` nearest to `x` (ties: the lower); -1 when empty. */
export function nearestIndex(xs: readonly number[], x: number): number {
  if (xs.length === 0) return -1;
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid;
  }
  return Math.abs(xs[hi]! - x) < Math.abs(xs[lo]! - x) ? hi : lo;
}

/** Smallest and largest finite value of `ys` where `x` is within `[x0, x1]`, or `null`. */
export function extentWithin(xs: readonly number[], ys: readonly (number | null)[], x0: number, x1: number, positiveOnly = false): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (xs[i]! < x0 || xs[i]! > x1 || y === null || y === undefined || !Number.isFinite(y) || (positiveOnly && y <= 0)) continue;
    if (y < min) min = y;
    if (y > max) max = y;
  }
  return min <= max ? [min, max] : null;
}

/** Round tick values covering `[a, b]`, about `count` of them (d3's algorithm: steps of 1, 2 or 5 × 10^k). */
export function ticks(a: number, b: number, count: number): number[] {
  if (!(b > a)) return [a];
  const raw = (b - a) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step = power * (error >= 7.07 ? 10 : error >= 3.16 ? 5 : error >= 1.41 ? 2 : 1);
  const out: number[] = [];
  for (let v = Math.ceil(a / step) * step; v <= b + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Ticks of a log axis: powers of ten, with 2 and 5 between them when the domain spans few decades. */
export function logTicks(a: number, b: number): number[] {
  const [lo, hi] = [Math.floor(Math.log10(a)), Math.ceil(Math.log10(b))];
  const multiples = hi - lo <= 1 ? [1, 2, 3, 5, 7] : hi - lo <= 3 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let k = lo; k <= hi; k++)
    for (const m of multiples) {
      const v = Number((m * 10 ** k).toPrecision(12));
      if (v >= a * (1 - 1e-9) && v <= b * (1 + 1e-9)) out.push(v);
    }
  return out.length >= 2 ? out : ticks(a, b, 4);
}

/** Extends `[a, b]` to round tick values, as Plot's `nice` does; a zero-width extent is widened. */
export function nice(a: number, b: number, count = 5): [number, number] {
  if (a === b) {
    const pad = Math.abs(a) * 0.05 || 1;
    return [a - pad, b + pad];
  }
  const t = ticks(a, b, count);
  const step = t.length > 1 ? t[1]! - t[0]! : (b - a) / count;
  return [Math.floor(a / step) * step, Math.ceil(b / step) * step];
}

/** A tick label: few digits, exponent form for very small or large values. */
export function formatTick(v: number): string {
  if (v === 0) return "0";
  const abs = Math.abs(v);
  if (abs < 1e-3 || abs >= 1e6) return v.toExponential(0).replace("e+", "e");
  return String(Number(v.toPrecision(4)));
}

/** A value as the readout prints it: 6 significant digits (as the tables), `missing` for no value. */
export function formatReadout(v: number | null | undefined): string {
  if (v === null || v === undefined) return "missing";
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  return String(Number(v.toPrecision(6)));
}

/** The x of a readout: Keras' epochs as Keras prints them (from 1) with the CSV's own number, else as written. */
export function formatX(x: number, axis: string, kerasEpochs: boolean): string {
  if (axis === "epoch" && kerasEpochs) return `epoch ${x + 1} (CSV ${x})`;
  return `${axis} ${x}`;
}

/** Reads the smoothing weight from a query string (`?smooth=0.6`): a number in [0, 0.99], else 0. */
export function parseSmoothing(search: string): number {
  const v = Number(new URLSearchParams(search).get("smooth"));
  return Number.isFinite(v) && v > 0 ? Math.min(0.99, v) : 0;
}
