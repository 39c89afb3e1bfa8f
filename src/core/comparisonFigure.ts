import * as Plot from "@observablehq/plot";
import type { Comparison, ComparisonMember } from "./ablations.ts";
import type { Experiment } from "./archive.ts";
import { metricDirection } from "./direction.ts";
import { m4 } from "./downsample.ts";
import { earlyStopping, stopPhrase, stopWords } from "./earlyStopping.ts";
import { formatValue, xExtent, legendHeight, panelHeight, titleHeight, useLogScale, yTickFormat, type FigureSpec, type HistoryFigureOptions, type PanelSpec } from "./figures.ts";
import { seriesData, type FigureData } from "./figureData.ts";
import type { Series, Split } from "./history.ts";
import { metricLabel } from "./labels.ts";

/**
 * Plot's observable10 scheme, the colours of the varying values in order;
 * cycled beyond ten values (a comparison that wide is unreadable anyway).
 */
export const valueColors = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5", "#9c6b4e", "#9498a0"];

/** The colour of the `index`-th varying value of a comparison. */
export function valueColor(index: number): string {
  return valueColors[index % valueColors.length]!;
}

/**
 * What a comparison figure needs of each run: its slug and history (plain
 * data, so a worker thread can draw it, or a browser from `history.json`).
 */
export type ComparedRun = { info: Pick<Experiment["info"], "slug">; history: Pick<Experiment["history"], "series" | "attempts" | "format"> };

/** What a comparison figure needs of a comparison (a page drawing it in the browser embeds no more). */
export type ComparedGroup = Pick<Comparison, "title" | "values"> & { members: readonly Pick<ComparisonMember, "slug" | "stem" | "date" | "value">[] };

/** Options of `comparisonFigure`: those of `historyFigure`. */
export type ComparisonFigureOptions = HistoryFigureOptions;

/** One member's series of one panel. */
interface Line {
  slug: string;
  value: string;
  label: string;
  series: Series;
}

/**
 * Builds the figure of a comparison: a panel per metric (label-table order,
 * then as first found), each with the validation curve of every member,
 * coloured by the member's value of the varying field, and per member a
 * dashed rule where early stopping would have fired and a ring on the epoch
 * it would restore. Members with the same value (repeats) share a colour.
 * Each panel has its own y scale and all share the x domain, as in
 * `historyFigure`. When no member has validation series, the training
 * series are drawn instead. Pure: needs no DOM.
 *
 * @param experiments The archive's experiments; members are looked up by slug.
 */
export function comparisonFigure(comparison: ComparedGroup, experiments: readonly ComparedRun[], options: ComparisonFigureOptions): FigureSpec {
  const { labels, width = 960, columns = 3 } = options;
  const validation = comparisonLines(comparison, experiments, "validation");
  const split: Split = validation.length > 0 ? "validation" : "train";
  const lines = split === "validation" ? validation : comparisonLines(comparison, experiments, "train");
  const known = Object.keys(labels);
  const metrics = [...new Set(lines.map((l) => l.series.metric))].sort((a, b) => rankOf(a, known) - rankOf(b, known));
  const cols = Math.max(1, Math.min(columns, metrics.length));
  const panelWidth = Math.floor(width / cols);
  const xDomain = xExtent(lines.map((l) => l.series)) ?? [0, 1];
  const panels = metrics.map(
    (metric, i): PanelSpec => ({
      metric,
      title: metricLabel(metric, labels),
      x: (i % cols) * panelWidth,
      y: legendHeight + Math.floor(i / cols) * (panelHeight + titleHeight) + titleHeight,
      width: panelWidth,
      height: panelHeight,
      ...panelPlot(
        lines.filter((l) => l.series.metric === metric),
        comparison.values,
        xDomain,
        panelWidth,
        options,
      ),
    }),
  );
  const rows = Math.ceil(metrics.length / cols);
  const curves = split === "validation" ? "validation" : "training";
  return {
    width: cols * panelWidth,
    height: legendHeight + rows * (panelHeight + titleHeight),
    label: `${comparison.title}: ${curves} curves of ${comparison.members.length} experiments (${panels.map((p) => p.title).join(", ")})`,
    panels,
    legend: comparisonLegend(comparison, options),
  };
}

/** The legend of a comparison figure: a colour per value, then the early-stopping rule. Needs no history, so a page can show it before its figure is drawn. */
export function comparisonLegend(comparison: Pick<Comparison, "values">, options: Pick<ComparisonFigureOptions, "earlyStopping">): FigureSpec["legend"] {
  return [
    ...comparison.values.map((text, i) => ({ text, color: valueColor(i) })),
    { text: `early stop (patience ${options.earlyStopping.patience}, min Δ ${options.earlyStopping.minDelta})`, color: "currentColor", dashed: true },
  ];
}

/**
 * The data behind a comparison figure's panels, for the page's crosshair
 * (see `FigureData`): per panel, in `comparisonFigure`'s order, every
 * member's series, named by its value and date and coloured as drawn.
 */
export function comparisonData(comparison: ComparedGroup, experiments: readonly ComparedRun[], labels: ComparisonFigureOptions["labels"]): FigureData {
  const validation = comparisonLines(comparison, experiments, "validation");
  const lines = validation.length > 0 ? validation : comparisonLines(comparison, experiments, "train");
  const known = Object.keys(labels);
  const metrics = [...new Set(lines.map((l) => l.series.metric))].sort((a, b) => rankOf(a, known) - rankOf(b, known));
  const keras = comparison.members.every((m) => experiments.find((e) => e.info.slug === m.slug)?.history.format === "keras");
  return {
    kerasEpochs: keras,
    panels: metrics.map((metric) => ({
      metric,
      title: metricLabel(metric, labels),
      axis: "epoch",
      series: lines.filter((l) => l.series.metric === metric).map((l) => ({ ...seriesData(l.series), name: l.label, color: valueColor(comparison.values.indexOf(l.value)) })),
    })),
  };
}

/** The epoch-axis metric series of `split` in each member's last training, in member order. */
function comparisonLines(comparison: ComparedGroup, experiments: readonly ComparedRun[], split: Split): Line[] {
  const bySlug = new Map(experiments.map((e) => [e.info.slug, e]));
  return comparison.members.flatMap((member) => {
    const experiment = bySlug.get(member.slug);
    if (experiment === undefined) return [];
    const last = experiment.history.attempts.length - 1;
    return experiment.history.series
      .filter((s) => s.split === split && s.role === "metric" && s.axis === "epoch" && s.attempt === last)
      .map((series) => ({ slug: member.slug, value: member.value, label: `${member.value} (${member.date ?? member.stem})`, series }));
  });
}

function rankOf(metric: string, known: readonly string[]): number {
  return known.includes(metric) ? known.indexOf(metric) : known.length;
}

interface Point {
  x: number;
  y: number;
  value: string;
  slug: string;
  title: string;
}

function panelPlot(lines: readonly Line[], values: readonly string[], xDomain: number[], width: number, options: ComparisonFigureOptions): Pick<PanelSpec, "plot" | "overlay"> {
  const margin = { left: 56, right: 14 };
  const columns = Math.max(1, width - margin.left - margin.right);
  const points: Point[] = [];
  const stops: { x: number; value: string; title: string }[] = [];
  const bests: { x: number; y: number; value: string; title: string }[] = [];
  const metric = lines[0]?.series.metric ?? "";
  const direction = metricDirection(metric, options.labels);
  const reduced = lines.map(({ series }) => m4(series.x, series.y, { columns, xDomain }));
  // Each line's tooltip names its run; values at an epoch are read by the
  // crosshair from the page's figure data (src/client/figure.ts).
  lines.forEach(({ slug, value, label, series }, l) => {
    // M4 as in historyFigure: long runs keep every spike at a fraction of the points.
    const { x: xs, y: vs } = reduced[l]!;
    const line = `${label}: ${series.name}`;
    xs.forEach((x, i) => {
      const v = vs[i] ?? null;
      points.push({ x, y: v === null || !Number.isFinite(v) ? NaN : v, value, slug, title: line });
    });
    if (direction === null) return;
    const summary = earlyStopping(series, { mode: direction.mode, ...options.earlyStopping });
    if (summary.stoppedEpoch === null) return;
    // Epochs as Keras prints them, the CSV row's beside (see stopWords).
    stops.push({ x: summary.stoppedEpoch, value, title: `${label}: EarlyStopping ${stopPhrase(summary)}` });
    if (summary.restoredEpoch !== null && summary.restoredValue !== null) {
      bests.push({ x: summary.restoredEpoch, y: summary.restoredValue, value, title: `${label}: EarlyStopping ${stopWords(summary)} (${formatValue(summary.restoredValue)})` });
    }
  });
  const finite = points.filter((p) => Number.isFinite(p.y));
  const logScale = useLogScale(
    finite.map((p) => p.y),
    direction?.mode === "min",
    options.logScale ?? "auto",
  );
  const plot: Plot.PlotOptions = {
    marginLeft: margin.left,
    marginRight: margin.right,
    marginTop: 8,
    marginBottom: 34,
    x: { domain: xDomain, label: "epoch", labelAnchor: "right" },
    y: {
      grid: true,
      nice: true,
      label: null,
      ...(logScale ? { type: "log" } : {}),
      ...yTickFormat(
        finite.map((p) => p.y),
        logScale,
      ),
    },
    color: { domain: [...values], range: values.map((_, i) => valueColor(i)) },
    marks: [Plot.frame({ stroke: "currentColor", strokeOpacity: 0.2 }), Plot.line(points, { x: "x", y: "y", z: "slug", stroke: "value", strokeWidth: 1.6, title: "title" })],
  };
  // Rules, rings and dots as markup (see `Overlay` in figures.ts).
  return {
    plot,
    overlay: {
      rules: [{ strokeDasharray: "4,3", strokeWidth: 1.5, data: stops.map((s) => ({ x: s.x, z: s.value, title: s.title })) }],
      dots: [{ r: 5, paint: "stroke", strokeWidth: 1.5, data: bests.map((b) => ({ x: b.x, y: b.y, z: b.value, title: b.title })) }],
    },
  };
}

/**
 * The figure options a page of comparisons drawn in the browser embeds once: the labels of its
 * runs' metrics only (the page carries no values: the browser reads them from each member's
 * `history.json`; each section embeds its comparison, `comparisonSectionData`).
 */
export function comparisonPageOptions(experiments: readonly ComparedRun[], options: ComparisonFigureOptions): ComparisonFigureOptions {
  const metrics = new Set(experiments.flatMap((e) => e.history.series.map((s) => s.metric)));
  const labels = Object.fromEntries(
    Object.entries(options.labels).flatMap(([metric, { label, direction }]) => (metrics.has(metric) ? [[metric, { label, ...(direction ? { direction } : {}) }]] : [])),
  );
  return { ...options, labels };
}
