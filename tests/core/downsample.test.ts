import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { m4 } from "../../src/core/downsample.ts";
import { createRandom } from "../../scripts/generate-archive.ts";

// A deterministic PRNG (the benchmark's), so the large fixtures are the same on every run.
const random = createRandom;

/** A noisy decaying loss over steps 0…n-1. */
function noisyLoss(n: number, seed = 1): { x: number[]; y: number[] } {
  const rand = random(seed);
  const x = Array.from({ length: n }, (_, i) => i);
  const y = x.map((i) => 0.05 + 0.9 * Math.exp(-i / (n / 8)) + 0.02 * (rand() - 0.5));
  return { x, y };
}

/** The column of x as `m4` assigns it, for checking its output independently. */
function columnOf(x: number, [x0, x1]: [number, number], columns: number): number {
  return Math.min(columns - 1, Math.floor(((x - x0) / (x1 - x0)) * columns));
}

/** `{column: [min, max]}` of the finite points. */
function columnExtents(x: readonly number[], y: readonly (number | null)[], domain: [number, number], columns: number): Map<number, [number, number]> {
  const extents = new Map<number, [number, number]>();
  x.forEach((xi, i) => {
    const v = y[i];
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    const c = columnOf(xi, domain, columns);
    const e = extents.get(c);
    if (e === undefined) extents.set(c, [v, v]);
    else extents.set(c, [Math.min(e[0], v), Math.max(e[1], v)]);
  });
  return extents;
}

const isGap = (v: number | null | undefined) => v === null || v === undefined || !Number.isFinite(v);

describe("m4", () => {
  it("m4(x, y, {columns}) keeps a single-point spike of a 100 000-point series at its exact value", () => {
    const { x, y } = noisyLoss(100_000);
    y[61_803] = 7.123456789012345;
    y[31_415] = -0.987654321098765;
    const out = m4(x, y, { columns: 254 });
    expect(out.x.length).toBeLessThanOrEqual(4 * 254);
    expect(Math.max(...(out.y as number[]))).toBe(7.123456789012345);
    expect(Math.min(...(out.y as number[]))).toBe(-0.987654321098765);
    expect(out.x[out.y.indexOf(7.123456789012345)]).toBe(61_803);
    expect(out.x[out.y.indexOf(-0.987654321098765)]).toBe(31_415);
  });

  it("m4(x, y, {columns}) keeps the first and last point of the series", () => {
    const { x, y } = noisyLoss(10_000);
    const out = m4(x, y, { columns: 100 });
    expect([out.x[0], out.y[0]]).toEqual([0, y[0]]);
    expect([out.x.at(-1), out.y.at(-1)]).toEqual([9_999, y[9_999]]);
  });

  it("m4(x, y, {columns}) returns a series of at most 4 × columns points unchanged", () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7];
    const y = [1, null, 3, NaN, 5, Infinity, 7, 8];
    const out = m4(x, y, { columns: 2 });
    expect(out).toEqual({ x, y });
    expect(out.x).not.toBe(x);
  });

  it("m4(x, y, {columns}) keeps first, min, max and last of each column, in x order", () => {
    // Two columns of 6 points: [0, 6) and [6, 12).
    const x = Array.from({ length: 12 }, (_, i) => i);
    const y = [5, 9, 1, 4, 4, 3, 2, 2, 8, 0, 6, 7];
    expect(m4(x, y, { columns: 2, xDomain: [0, 12] })).toEqual({
      x: [0, 1, 2, 5, 6, 8, 9, 11],
      y: [5, 9, 1, 3, 2, 8, 0, 7],
    });
  });

  it("m4(x, y, {columns}) keeps a break at every gap, with the gap's first value", () => {
    const { x, y: values } = noisyLoss(20_000);
    const y: (number | null)[] = values.slice();
    for (let i = 5_000; i < 5_300; i++) y[i] = null; // a missing stretch (300 points)
    y[12_000] = NaN; // one nan
    y[15_000] = Infinity; // one inf, followed by missing cells
    y[15_001] = null;
    const out = m4(x, y, { columns: 100 });
    const gaps = out.y.flatMap((v, i) => (isGap(v) ? [[out.x[i], v]] : []));
    expect(gaps).toEqual([
      [5_000, null],
      [12_000, NaN],
      [15_000, Infinity],
    ]);
    // The points either side of each gap are kept, so the line ends and resumes where it did.
    for (const i of [4_999, 5_300, 11_999, 12_001, 14_999, 15_002]) expect(out.x).toContain(i);
    expect(out.x.length).toBeLessThanOrEqual(4 * 100 + 5 * 3);
  });

  it("m4(x, y, {columns, xDomain}) groups points outside the domain in one column per side", () => {
    const { x, y } = noisyLoss(1_000);
    const out = m4(x, y, { columns: 10, xDomain: [100, 899] });
    expect(out.x.filter((v) => v < 100).length).toBeLessThanOrEqual(4);
    expect(out.x.filter((v) => v > 899).length).toBeLessThanOrEqual(4);
    expect(out.x).toContain(99); // the last point before the frame
    expect(out.x).toContain(900); // the first point after it
  });

  it("m4(x, y, {columns}) rejects a column count that is not a positive integer", () => {
    expect(() => m4([0], [0], { columns: 0 })).toThrowErrorMatchingInlineSnapshot(`[Error: invalid columns: 0]`);
    expect(() => m4([0], [0], { columns: 2.5 })).toThrowErrorMatchingInlineSnapshot(`[Error: invalid columns: 2.5]`);
  });
});

describe("m4, properties", () => {
  const series = fc
    .record({
      n: fc.integer({ min: 1, max: 3_000 }),
      columns: fc.integer({ min: 1, max: 80 }),
      start: fc.integer({ min: -50, max: 50 }),
      gapRate: fc.constantFrom(0, 0, 0.01, 0.2),
      seed: fc.integer(),
    })
    .map(({ n, columns, start, gapRate, seed }) => {
      const rand = random(seed);
      // Ascending x with repeats and jumps, as steps logged irregularly would be.
      let at = start;
      const x = Array.from({ length: n }, () => (at += Math.floor(rand() * 3)));
      const y = x.map((): number | null => {
        const r = rand();
        if (r < gapRate / 2) return null;
        if (r < gapRate) return NaN;
        return (rand() - 0.5) * 10 ** Math.floor(rand() * 6);
      });
      return { x, y, columns };
    });
  const seed = 20_240_607;

  it("m4(x, y, {columns}) preserves the minimum and maximum of every column", () => {
    fc.assert(
      fc.property(series, ({ x, y, columns }) => {
        const out = m4(x, y, { columns });
        const domain: [number, number] = [x[0]!, x.at(-1)!];
        if (domain[1] === domain[0]) return;
        expect(columnExtents(out.x, out.y, domain, columns)).toEqual(columnExtents(x, y, domain, columns));
      }),
      { seed, numRuns: 200 },
    );
  });

  it("m4(x, y, {columns}) returns a subsequence with ≤ 4 × columns points plus 5 per gap", () => {
    fc.assert(
      fc.property(series, ({ x, y, columns }) => {
        const out = m4(x, y, { columns });
        const gaps = y.filter((v, i) => isGap(v) && !isGap(y[i - 1] ?? 0)).length;
        expect(out.x.length).toBeLessThanOrEqual(4 * columns + 5 * gaps);
        // A subsequence: each output point is an input point, in input order.
        let j = 0;
        for (let k = 0; k < out.x.length; k++) {
          while (j < x.length && !(x[j] === out.x[k] && Object.is(y[j], out.y[k]))) j++;
          expect(j).toBeLessThan(x.length);
          j++;
        }
      }),
      { seed, numRuns: 200 },
    );
  });

  it("m4(x, y, {columns}) keeps every gap as a break between the same runs", () => {
    fc.assert(
      fc.property(series, ({ x, y, columns }) => {
        const out = m4(x, y, { columns });
        // The runs of finite points, each named by its first and last x.
        const runs = (xs: readonly number[], ys: readonly (number | null)[]) => {
          const found: [number, number][] = [];
          ys.forEach((v, i) => {
            if (isGap(v)) return;
            if (i === 0 || isGap(ys[i - 1])) found.push([xs[i]!, xs[i]!]);
            else found.at(-1)![1] = xs[i]!;
          });
          return found;
        };
        expect(runs(out.x, out.y)).toEqual(runs(x, y));
      }),
      { seed, numRuns: 200 },
    );
  });
});
