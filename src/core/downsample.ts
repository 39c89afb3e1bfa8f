/** Options of `m4`. */
export interface M4Options {
  /**
   * Pixel columns the series is drawn into: the plot's inner width (width
   * minus the left and right margins), or an integer multiple of it for
   * high-density screens. Each column keeps at most 4 points per run.
   */
  columns: number;
  /**
   * The x scale's domain `[x0, x1]` (optional). Default: the smallest and
   * largest finite x. Points outside it are grouped in one extra column on
   * each side, so the line still enters and leaves the frame where it did.
   */
  xDomain?: readonly [number, number] | readonly number[];
}

/** A downsampled series: a subsequence of the input, in input order. */
export interface M4Result {
  x: number[];
  y: (number | null)[];
}

/**
 * Downsamples a line for drawing with M4 (Jugel et al., "M4: a
 * visualization-oriented time series data aggregation", VLDB 2014): within
 * each pixel column it keeps the first, the last, the lowest and the highest
 * point, in x order. A polyline through those points covers exactly the same
 * pixels as one through all points, so every spike and dip keeps its exact
 * value; only points that could not change a pixel are dropped.
 *
 * `x` must be ascending (epochs or steps). A `y` that is `null`, `NaN` or
 * infinite is a gap: runs of finite values are downsampled apart, and the
 * first point of every gap is kept (with its value, so `nan` and missing
 * stay distinguishable), so the line still breaks there. A point whose x is
 * not finite counts as a gap too.
 *
 * Series of at most `4 × columns` points are returned unchanged (as copies).
 * Otherwise the result has at most 4 points per column and run, plus one per
 * gap: `≤ 4 × columns` for a series without gaps inside `xDomain`. Pure.
 *
 * @example m4(history.x, history.y, { columns: 254, xDomain: [0, 99_999] })
 */
export function m4(x: readonly number[], y: readonly (number | null)[], options: M4Options): M4Result {
  const { columns } = options;
  if (!(columns >= 1) || !Number.isInteger(columns)) throw new Error(`invalid columns: ${columns}`);
  if (x.length !== y.length) throw new Error(`x and y differ in length: ${x.length} and ${y.length}`);
  const n = x.length;
  if (n <= 4 * columns) return { x: x.slice(), y: y.slice() };
  const [x0, x1] = options.xDomain ?? finiteExtent(x);
  const width = x1! - x0!;

  // Column of each point: 0…columns-1 inside the domain, -1 and `columns` outside.
  // A zero-width domain puts every point in column 0.
  const columnOf = (v: number): number => {
    if (!(width > 0)) return 0;
    const c = Math.floor(((v - x0!) / width) * columns);
    return c < 0 ? -1 : c >= columns ? (v > x1! ? columns : columns - 1) : c;
  };

  const keep: number[] = [];
  // The open bucket: the current column within the current run of finite points.
  let column = NaN;
  let first = -1;
  let last = -1;
  let min = -1;
  let max = -1;
  const flush = () => {
    if (first < 0) return;
    // Indices in x order, each once (first, min, max and last may coincide).
    const picked = [first, min, max, last].sort((a, b) => a - b);
    for (let k = 0; k < 4; k++) if (k === 0 || picked[k] !== picked[k - 1]) keep.push(picked[k]!);
    first = -1;
  };
  let inGap = false;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    const xi = x[i]!;
    if (v === null || v === undefined || !Number.isFinite(v) || !Number.isFinite(xi)) {
      flush();
      if (!inGap) keep.push(i);
      inGap = true;
      continue;
    }
    inGap = false;
    const c = columnOf(xi);
    if (first < 0 || c !== column) {
      flush();
      column = c;
      first = last = min = max = i;
      continue;
    }
    last = i;
    // Strict comparisons: ties keep the earliest point.
    if (v < (y[min] as number)) min = i;
    if (v > (y[max] as number)) max = i;
  }
  flush();
  return { x: keep.map((i) => x[i]!), y: keep.map((i) => y[i] as number | null) };
}

/** `[min, max]` of the finite values, `[0, 0]` when there are none. */
function finiteExtent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}
