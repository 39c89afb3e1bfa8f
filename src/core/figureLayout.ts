/**
 * The figures' grid, apart from their drawing (no Plot here), so that the
 * browser can place a page's panels again without loading Plot
 * (`joinFigure`) or make a page's figure data (`figureDataFor`).
 */
import type { Axis, Series, Split } from "./history.ts";
import type { MetricLabels } from "./labels.ts";

/** Colours of the splits (Plot's observable10 scheme), fixed so every figure agrees. */
export const splitColors: Record<Split, string> = { train: "#4269d0", validation: "#ff725c", test: "#6cc5b0" };
/** Legend text of the splits. */
export const splitNames: Record<Split, string> = { train: "training", validation: "validation", test: "test" };

/** Sizes shared by every figure (experiment and comparison), in px. */
export const panelHeight = 230;
export const titleHeight = 22;
export const legendHeight = 26;

/**
 * Where the history figure puts panel `i` of `count`: a grid of `columns`
 * (fewer when there are fewer panels) below the legend, each panel under its
 * title.
 */
export function panelPlace(i: number, count: number, { width = 960, columns = 3 }: { width?: number; columns?: number } = {}): { x: number; y: number } {
  const cols = Math.max(1, Math.min(columns, count));
  const panelWidth = Math.floor(width / cols);
  return { x: (i % cols) * panelWidth, y: legendHeight + Math.floor(i / cols) * (panelHeight + titleHeight) + titleHeight };
}

/**
 * The smallest and largest x of some series, or `null` when they are empty.
 * Series are ascending in x, so only their ends are read: a spread
 * `Math.min(...xs)` overflows the call stack on a 100 000-step run.
 */
export function xExtent(series: readonly { x: readonly number[] }[]): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const { x } of series) {
    if (x.length === 0) continue;
    min = Math.min(min, x[0]!);
    max = Math.max(max, x[x.length - 1]!);
  }
  return min <= max ? [min, max] : null;
}

/**
 * The panels: one per metric and axis (Lightning logs a loss per step and per
 * epoch), metrics in the label table's order first, then as in the file;
 * epoch panels before step panels; schedules last.
 */
export function panelKeys(series: readonly Series[], labels: MetricLabels): { metric: string; axis: Axis }[] {
  const drawn = series.filter((s) => s.role !== "other");
  const known = Object.keys(labels);
  const rank = (s: Series) => [s.role === "schedule" ? 1 : 0, s.axis === "epoch" ? 0 : 1, known.includes(s.metric) ? known.indexOf(s.metric) : known.length];
  const seen = new Map<string, { metric: string; axis: Axis; rank: number[]; order: number }>();
  drawn.forEach((s, order) => {
    const key = `${s.metric}\u0000${s.axis}`;
    if (!seen.has(key)) seen.set(key, { metric: s.metric, axis: s.axis, rank: rank(s), order });
  });
  return [...seen.values()]
    .sort((a, b) => a.rank[0]! - b.rank[0]! || a.rank[1]! - b.rank[1]! || a.rank[2]! - b.rank[2]! || a.order - b.order)
    .map(({ metric, axis }) => ({ metric, axis }));
}
