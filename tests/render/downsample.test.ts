import * as Plot from "@observablehq/plot";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { m4 } from "../../src/core/downsample.ts";

/** The panel geometry of `historyFigure` (figures.ts): 960 px in 3 columns, its margins. */
const width = 320;
const height = 230;
const margin = { left: 56, right: 14, top: 8, bottom: 34 };
const columns = width - margin.left - margin.right;

/** A noisy decaying loss over 100 000 steps with one spike up and one dip, deterministic. */
function longRun(): { x: number[]; y: number[] } {
  let a = 7;
  const rand = () => {
    a = (Math.imul(a, 1_103_515_245) + 12_345) >>> 0;
    return a / 4294967296;
  };
  const x = Array.from({ length: 100_000 }, (_, i) => i);
  const y = x.map((i) => 0.1 + 0.8 * Math.exp(-i / 12_000) + 0.03 * (rand() - 0.5));
  y[73_421] = 1.7;
  y[40_007] = -0.2;
  return { x, y };
}

/** Draws one line as `historyFigure` does and returns the points of its path, in pixels. */
function drawnPoints(x: readonly number[], y: readonly (number | null)[], domain: [number, number]): [number, number][] {
  const document = new JSDOM("").window.document;
  const data = x.map((xi, i) => ({ x: xi, y: y[i] ?? NaN }));
  const svg = Plot.plot({
    document,
    width,
    height,
    marginLeft: margin.left,
    marginRight: margin.right,
    marginTop: margin.top,
    marginBottom: margin.bottom,
    x: { domain },
    y: { grid: true, nice: true },
    marks: [Plot.line(data, { x: "x", y: "y", strokeWidth: 1.6 })],
  });
  const d = svg.querySelector('g[aria-label="line"] path')!.getAttribute("d")!;
  const numbers = (d.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi) ?? []).map(Number);
  const points: [number, number][] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) points.push([numbers[i]!, numbers[i + 1]!]);
  return points;
}

function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

describe("m4 drawn by Plot", () => {
  const { x, y } = longRun();
  const domain: [number, number] = [0, 99_999];
  const full = drawnPoints(x, y, domain);
  const reduced = m4(x, y, { columns, xDomain: domain });
  const drawn = drawnPoints(reduced.x, reduced.y, domain);

  it("m4(x, y, {columns: inner width}) draws a 100 000-point line with the same y extent", () => {
    expect(full.length).toBe(100_000);
    expect(drawn.length).toBeLessThanOrEqual(4 * columns);
    expect(extent(drawn.map((p) => p[1]))).toEqual(extent(full.map((p) => p[1])));
    expect(extent(drawn.map((p) => p[0]))).toEqual(extent(full.map((p) => p[0])));
  });

  it("m4(x, y, {columns: inner width}) keeps the vertical extent of every pixel column", () => {
    // Plot rounds path coordinates to 3 decimals, so a point on a column edge can land on either
    // side; take each drawn point's column from its data x (the path lists the points in data order).
    const byColumn = (xs: readonly number[], points: readonly [number, number][]) => {
      const found = new Map<number, [number, number]>();
      points.forEach(([, py], i) => {
        const c = Math.min(columns - 1, Math.floor((xs[i]! / domain[1]) * columns));
        const e = found.get(c);
        found.set(c, e === undefined ? [py, py] : [Math.min(e[0], py), Math.max(e[1], py)]);
      });
      return found;
    };
    const expected = byColumn(x, full);
    expect(expected.size).toBe(columns);
    expect(byColumn(reduced.x, drawn)).toEqual(expected);
  });
});
