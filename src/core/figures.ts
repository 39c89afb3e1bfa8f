import * as Plot from "@observablehq/plot";
import { earlyStopping, epochNumbering, isMonitored, stopWords, type StopMonitor, type StopPrecision, type StopSemantics } from "./earlyStopping.ts";
import { metricDirection } from "./direction.ts";
import { m4 } from "./downsample.ts";
import { legendHeight, panelHeight, panelKeys, panelPlace, splitColors, splitNames, titleHeight, xExtent } from "./figureLayout.ts";
import type { Axis, Format, History, Series, Split } from "./history.ts";
import { metricLabel, type MetricLabels } from "./labels.ts";

/** One panel: a Plot specification and its place in the figure. */
export interface PanelSpec {
  /** The metric as in the file (without `val_`), or `lr` for the schedule panel. */
  metric: string;
  /** The panel title: the metric's label. */
  title: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Options for `Plot.plot`, without `document`. */
  plot: Plot.PlotOptions;
  /** Rules and dots drawn by the renderer, placed by the plot's scales (see `Overlay`). */
  overlay: Overlay;
}

/**
 * Marks written by the renderer as markup, placed by the plot's own x, y and
 * colour scales (`plot.scale(…)`), instead of Plot marks: in jsdom every
 * element with a tooltip costs Plot several DOM nodes and their attribute
 * conversions. The per-epoch tooltip dots were half of a history figure's
 * drawing time, and a comparison's early-stopping rules and rings a quarter
 * of its figure's. The markup is what `Plot.ruleX` and `Plot.dot` write.
 */
export interface Overlay {
  /** Vertical rules across the frame, drawn under the plot's lines. */
  rules: RuleLayer[];
  /** Dots, drawn over the lines, in order. */
  dots: DotLayer[];
}

/** Vertical rules at `x`, coloured by `z` through the colour scale (`null`: `currentColor`). */
export interface RuleLayer {
  strokeWidth: number;
  strokeDasharray: string;
  strokeOpacity?: number;
  data: { x: number; z: string | null; title?: string }[];
}

/** Dots at (`x`, `y`) with a native tooltip, filled or ringed in the colour of `z`. */
export interface DotLayer {
  /** Radius in px. */
  r: number;
  /** `fill`: a solid dot; `stroke`: a ring of `strokeWidth`. */
  paint: "fill" | "stroke";
  strokeWidth?: number;
  data: { x: number; y: number; z: string; title: string }[];
}

/** A faceted history figure: one panel per metric, with free y scales. */
export interface FigureSpec {
  width: number;
  height: number;
  /** Accessible name of the figure. */
  label: string;
  panels: PanelSpec[];
  legend: { text: string; color: string; dashed?: boolean; faint?: boolean }[];
}

/** Options of `historyFigure`. */
export interface HistoryFigureOptions {
  labels: MetricLabels;
  /** Early stopping drawn on the monitored series (`monitor`, default the validation series; see `isMonitored`). */
  earlyStopping: { minDelta: number; patience: number; semantics?: StopSemantics; precision?: StopPrecision | undefined; monitor?: StopMonitor };
  /** Log-scale y policy (see `useLogScale`). Default: `"auto"`. */
  logScale?: "auto" | "never" | "always";
  /** Reduce long series with M4 before drawing (see `m4`). Default: `true`; `false` draws every point (for comparisons in tests). */
  downsample?: boolean;
  /** Figure width in px. Default: 960. */
  width?: number;
  /** Panels per row. Default: 3. */
  columns?: number;
}

export { legendHeight, panelHeight, panelKeys, panelPlace, splitColors, splitNames, titleHeight, xExtent } from "./figureLayout.ts";

/**
 * Builds the faceted history figure of one run: a panel per metric (in the
 * order of the label table, then as in the file), training and validation
 * lines, and a dashed rule where
 * early stopping would have fired, with a ring on the epoch it would restore.
 * Plot's facets share one y scale, so each panel is its own plot: a loss and a
 * Dice score can then each use their range. Pure: needs no DOM.
 */
export function historyFigure(history: History, options: HistoryFigureOptions): FigureSpec {
  const { labels, width = 960, columns = 3 } = options;
  const keys = panelKeys(history.series, labels);
  const cols = Math.max(1, Math.min(columns, keys.length));
  const panelWidth = Math.floor(width / cols);
  const place = (i: number) => panelPlace(i, keys.length, { width, columns });
  const xDomains = new Map<Axis, number[]>();
  for (const axis of ["epoch", "step"] as const) {
    const domain = xExtent(history.series.filter((s) => s.axis === axis && s.role !== "other"));
    if (domain !== null) xDomains.set(axis, domain);
  }
  const bothAxes = new Set(keys.filter((k) => keys.some((o) => o.metric === k.metric && o.axis !== k.axis)).map((k) => k.metric));
  const panels = keys.map(({ metric, axis }, i): PanelSpec => {
    const series = history.series.filter((s) => s.metric === metric && s.axis === axis && s.role !== "other");
    return {
      metric,
      title: `${metricLabel(metric, labels)}${bothAxes.has(metric) ? ` (by ${axis})` : ""}`,
      ...place(i),
      width: panelWidth,
      height: panelHeight,
      ...panelPlot(series, xDomains.get(axis)!, panelWidth, options, history.attempts.length - 1, history.resumes, history.format),
    };
  });
  const rows = Math.ceil(keys.length / cols);
  const splits = [...new Set(history.series.filter((s) => s.role === "metric").map((s) => s.split))].sort(
    (a, b) => Object.keys(splitColors).indexOf(a) - Object.keys(splitColors).indexOf(b),
  );
  return {
    width: cols * panelWidth,
    height: legendHeight + rows * (panelHeight + titleHeight),
    label: `Training history of ${history.file}: ${panels.map((p) => p.title).join(", ")}`,
    panels,
    legend: [
      ...splits.map((split) => ({ text: splitNames[split], color: splitColors[split] })),
      ...(history.attempts.length > 1
        ? [{ text: `${history.attempts.length - 1} earlier training${history.attempts.length > 2 ? "s" : ""} in this file (faint)`, color: "currentColor", faint: true }]
        : []),
      { text: `early stop (patience ${options.earlyStopping.patience}, min Δ ${options.earlyStopping.minDelta})`, color: "currentColor", dashed: true },
    ],
  };
}

interface Point {
  x: number;
  y: number;
  split: Split;
  key: string;
}

function panelPlot(
  series: readonly Series[],
  xDomain: number[],
  width: number,
  options: HistoryFigureOptions,
  lastAttempt: number,
  resumes: History["resumes"],
  format?: Format,
): Pick<PanelSpec, "plot" | "overlay"> {
  const margin = { left: 56, right: 14 };
  const columns = Math.max(1, width - margin.left - margin.right);
  const points: Point[] = [];
  const earlier: Point[] = [];
  for (const s of series) {
    // Long runs are drawn from their M4 reduction: every pixel column keeps its
    // first, last, lowest and highest point, so no spike is lost; the
    // crosshair's data and the tables keep the raw values.
    const { x: xs, y: vs } = options.downsample === false ? s : m4(s.x, s.y, { columns, xDomain });
    const target = s.attempt === lastAttempt ? points : earlier;
    xs.forEach((x, i) => {
      const v = vs[i] ?? null;
      // Plot draws a gap for NaN; an infinite value has no place on the axis either.
      const y = v === null || !Number.isFinite(v) ? NaN : v;
      target.push({ x, y, split: s.split, key: `${s.name}#${s.attempt}` });
    });
  }
  const stops: { x: number; split: Split }[] = [];
  const bests: { x: number; y: number; split: Split; title: string }[] = [];
  const metric = series[0]?.metric ?? "";
  const direction = metricDirection(metric, options.labels);
  // Early stopping runs at the end of epochs: step-axis series get no mark.
  if (direction !== null && series.every((s) => s.role === "metric" && s.axis === "epoch")) {
    for (const s of series.filter((s) => s.attempt === lastAttempt && isMonitored(s, options.earlyStopping.monitor))) {
      const { minDelta, patience, semantics, precision } = options.earlyStopping;
      const summary = earlyStopping(s, { mode: direction.mode, minDelta, patience, ...(semantics ? { semantics } : {}), ...(precision ? { precision } : {}) });
      if (summary.stoppedEpoch !== null) stops.push({ x: summary.stoppedEpoch, split: s.split });
      if (summary.restoredEpoch !== null && summary.restoredValue !== null && summary.stoppedEpoch !== null) {
        bests.push({
          x: summary.restoredEpoch,
          y: summary.restoredValue,
          split: s.split,
          title: `${s.name}: EarlyStopping ${stopWords(summary, epochNumbering(format))} (${formatValue(summary.restoredValue)})`,
        });
      }
    }
  }
  const resumed =
    series[0]?.axis === "epoch"
      ? resumes
          .filter((r) => r.attempt === lastAttempt)
          .map((r) => ({ x: r.epoch, title: `training resumed at epoch ${r.epoch} (line ${r.line}): later rows replace earlier ones` }))
      : [];
  const finite = points.filter((p) => Number.isFinite(p.y));
  const ys = [...finite, ...earlier.filter((p) => Number.isFinite(p.y))].map((p) => p.y);
  const schedule = series.every((s) => s.role === "schedule");
  const logScale = useLogScale(ys, schedule || direction?.mode === "min", options.logScale ?? "auto");
  const plot: Plot.PlotOptions = {
    marginLeft: margin.left,
    marginRight: margin.right,
    marginTop: 8,
    marginBottom: 34,
    x: { domain: xDomain, label: series[0]?.axis ?? "epoch", labelAnchor: "right" },
    y: { grid: true, nice: true, label: null, ...(logScale ? { type: "log" } : {}), ...yTickFormat(ys, logScale) },
    color: { domain: Object.keys(splitColors), range: Object.values(splitColors) },
    marks: [
      Plot.frame({ stroke: "currentColor", strokeOpacity: 0.2 }),
      // Earlier trainings appended to the same file: thin and faint, under the last one.
      // (A mark without data is left out: each costs Plot's set-up even when empty.)
      ...(earlier.length > 0 ? [Plot.line(earlier, { x: "x", y: "y", z: "key", stroke: "split", strokeWidth: 1, strokeOpacity: 0.35 })] : []),
      Plot.line(points, { x: "x", y: "y", z: "key", stroke: "split", strokeWidth: 1.6 }),
    ],
  };
  return {
    plot,
    overlay: {
      rules: [
        { strokeOpacity: 0.5, strokeDasharray: "1,3", strokeWidth: 2, data: resumed.map((r) => ({ x: r.x, z: null, title: r.title })) },
        { strokeDasharray: "4,3", strokeWidth: 1.5, data: stops.map((s) => ({ x: s.x, z: s.split })) },
      ],
      // The ring on the epoch early stopping would restore. Per-epoch values are
      // read from the page's figure data by the crosshair (src/client/figure.ts),
      // not from a dot and a <title> per point.
      dots: [{ r: 5, paint: "stroke", strokeWidth: 1.5, data: bests.map((b) => ({ x: b.x, y: b.y, z: b.split, title: b.title })) }],
    },
  };
}

/**
 * Whether a panel gets a log y scale: `auto` for lower-is-better metrics and
 * schedules whose positive values span two decades or more (a loss falling
 * from 2 to 0.01 is unreadable on a linear axis), `always` where every value
 * is positive, never otherwise: a log axis cannot show 0 or negatives.
 */
export function useLogScale(ys: readonly number[], lowerIsBetter: boolean, policy: "auto" | "never" | "always"): boolean {
  if (policy === "never" || ys.length === 0) return false;
  let min = Infinity;
  let max = -Infinity;
  for (const y of ys) [min, max] = [Math.min(min, y), Math.max(max, y)];
  if (min <= 0) return false;
  return policy === "always" || (lowerIsBetter && max / min >= 100);
}

/**
 * Tick labels that fit the margin: learning rates (1e-5) and summed counts
 * (1.7e8) in exponent form, everything else as Plot formats it.
 */
export function yTickFormat(ys: readonly number[], log: boolean): { tickFormat?: string } {
  const max = ys.reduce((m, y) => Math.max(m, Math.abs(y)), 0);
  if (log) return { tickFormat: max < 0.01 || max >= 1e5 ? ".0e" : "~g" };
  if (max === 0) return {};
  if (max < 0.01) return { tickFormat: ".1~e" };
  if (max >= 1e5) return { tickFormat: ".2~s" };
  return {};
}

/** A value as a tooltip shows it: 6 significant digits, `nan`, `inf`, `missing`. */
export function formatValue(v: number | null): string {
  if (v === null) return "missing";
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return String(Number(v.toPrecision(6)));
}
