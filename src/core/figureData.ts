import { m4 } from "./downsample.ts";
import { panelKeys, splitColors, xExtent } from "./figureLayout.ts";
import type { Axis, History, Series } from "./history.ts";
import type { MetricLabels } from "./labels.ts";

/**
 * The data behind a figure's panels, embedded in the page as JSON for the
 * crosshair, zoom, smoothing and scale switch of src/client/figure.ts: one
 * entry per panel, in the figure's panel order, each with every series drawn
 * in it. Compact: values to 6 significant digits (as the tables print them),
 * `null` where the file has no finite value, and an evenly spaced x (Keras'
 * epochs 0, 1, 2, …) written as its start and step.
 */
export interface FigureData {
  /** True when x is an epoch as Keras' CSVLogger writes it (from 0; Keras prints `Epoch 1/…`). */
  kerasEpochs: boolean;
  panels: PanelData[];
}

export interface PanelData {
  metric: string;
  title: string;
  axis: Axis;
  series: SeriesData[];
}

export interface SeriesData {
  /** Legend text: the column name, or a compared run's name. */
  name: string;
  color: string;
  /** An earlier training in the same file, drawn faint. */
  faint?: true;
  /** x when it is not evenly spaced. */
  x?: number[];
  /** Evenly spaced x: `x0 + i · dx`. */
  x0?: number;
  dx?: number;
  y: (number | null)[];
  /** True when a long series was reduced (M4) to fit the page: values are then a subset. */
  reduced?: true;
}

const splitOrder = Object.keys(splitColors);

/** Points per series beyond which the page gets the M4 reduction (at 1 000 columns), not every value. */
export const maxEmbeddedPoints = 5000;

/**
 * The figure data of one run's history: the panels of `historyFigure`
 * (same keys, same order), each with its series of every training in the
 * file, the earlier ones faint.
 */
export function figureData(history: History, labels: MetricLabels): FigureData {
  const keys = panelKeys(history.series, labels);
  const bothAxes = new Set(keys.filter((k) => keys.some((o) => o.metric === k.metric && o.axis !== k.axis)).map((k) => k.metric));
  return figureDataFor(
    history,
    keys.map(({ metric, axis }) => ({ metric, axis, title: `${labels[metric]?.label ?? metric}${bothAxes.has(metric) ? ` (by ${axis})` : ""}` })),
  );
}

/**
 * The figure's data for panels already chosen and named: what an experiment
 * page's script makes again from the run's `history.json` and the page's own
 * panels (their metric, axis and title), so the page need not carry the
 * values twice (`src/client/figureSource.ts`). `figureData` is this with the
 * build's panels.
 */
export function figureDataFor(history: Pick<History, "series" | "attempts" | "format">, panels: readonly { metric: string; axis: Axis; title: string }[]): FigureData {
  const last = history.attempts.length - 1;
  return {
    kerasEpochs: history.format === "keras",
    panels: panels.map(({ metric, axis, title }) => {
      const series = history.series.filter((s) => s.metric === metric && s.axis === axis && s.role !== "other");
      return {
        metric,
        axis,
        title,
        // Training, validation, test (as the legend), the last training first.
        series: series
          .toSorted((a, b) => splitOrder.indexOf(a.split) - splitOrder.indexOf(b.split) || b.attempt - a.attempt)
          .map((s) => {
            const attempt = s.attempt === last ? "" : ` (training ${s.attempt + 1})`;
            return { ...seriesData(s), name: `${s.name}${attempt}`, color: splitColors[s.split], ...(s.attempt === last ? {} : { faint: true as const }) };
          }),
      };
    }),
  };
}

/** x and y of one series, compact (see `FigureData`). */
export function seriesData(s: Pick<Series, "x" | "y">): Pick<SeriesData, "x" | "x0" | "dx" | "y" | "reduced"> {
  let { x, y } = s;
  let reduced = false;
  if (x.length > maxEmbeddedPoints) {
    const domain = xExtent([s]) ?? [0, 1];
    ({ x, y } = m4(x, y, { columns: 1000, xDomain: domain }));
    reduced = true;
  }
  const values = y.map((v) => (v === null || !Number.isFinite(v) ? null : Number(v.toPrecision(6))));
  const dx = x.length > 1 ? x[1]! - x[0]! : 1;
  const even = dx > 0 && x.every((v, i) => v === x[0]! + i * dx);
  return { ...(even ? { x0: x[0] ?? 0, dx } : { x: [...x] }), y: values, ...(reduced ? { reduced: true as const } : {}) };
}

/** Expands a series' x (see `FigureData`). */
export function seriesX(s: Pick<SeriesData, "x" | "x0" | "dx" | "y">): number[] {
  return s.x ?? s.y.map((_, i) => s.x0! + i * s.dx!);
}

/**
 * The figure data as a `<script type="application/json">` body: JSON with
 * `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`, so a metric named
 * `</script>` cannot end the element and nothing is left for an HTML writer
 * to escape (Astro writes `>` as `&gt;` there, which JSON would keep).
 */
export function figureDataJson(data: FigureData): string {
  return JSON.stringify(data).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

/** A group of panels on the page: one output or head of a multi-output model, or the rest. */
export interface PanelGroup {
  /** The prefix shared by the group's metrics, or `""` for the rest. */
  prefix: string;
  /** Indices into the figure's panels, in order. */
  panels: number[];
  /** Open when the page loads: groups are opened in order while at most `maxOpen` panels are shown. */
  open: boolean;
}

/**
 * Groups panels by the output or head their metric belongs to: Keras names
 * a multi-output model's metrics `<output>_<metric>` (`edge_final_output_loss`),
 * so panels sharing a first token with at least one other panel form a
 * group, and the rest (`loss`, `lr`) come first, ungrouped. A figure of at
 * most `maxOpen` panels is one group. Groups open in order while the panels
 * shown stay within `maxOpen` (at least the first group opens).
 */
export function panelGroups(metrics: readonly string[], maxOpen = 12): PanelGroup[] {
  if (metrics.length <= maxOpen) return [{ prefix: "", panels: metrics.map((_, i) => i), open: true }];
  const first = (m: string) => (m.includes("_") ? m.slice(0, m.indexOf("_")) : "");
  const counts = new Map<string, number>();
  for (const m of metrics) counts.set(first(m), (counts.get(first(m)) ?? 0) + 1);
  const groups = new Map<string, number[]>([["", []]]);
  metrics.forEach((m, i) => {
    const prefix = first(m) !== "" && counts.get(first(m))! > 1 ? first(m) : "";
    groups.set(prefix, [...(groups.get(prefix) ?? []), i]);
  });
  let shown = 0;
  let full = false;
  // A group larger than maxOpen (33 metrics without a shared prefix) is cut into parts.
  const parts = [...groups]
    .filter(([, panels]) => panels.length > 0)
    .flatMap(([prefix, panels]) =>
      panels.length <= maxOpen
        ? [[prefix, panels] as const]
        : Array.from({ length: Math.ceil(panels.length / maxOpen) }, (_, k) => [prefix, panels.slice(k * maxOpen, (k + 1) * maxOpen)] as const),
    );
  return parts.map(([prefix, panels], i) => {
    const open = !full && (i === 0 || shown + panels.length <= maxOpen);
    if (open) shown += panels.length;
    else full = true;
    return { prefix, panels, open };
  });
}
