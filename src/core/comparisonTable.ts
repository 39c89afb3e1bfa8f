import type { Comparison, ComparisonMember } from "./ablations.ts";
import type { Best, Experiment } from "./archive.ts";
import { metricDirection } from "./direction.ts";
import type { StopMode } from "./earlyStopping.ts";
import { metricLabel, type MetricLabels } from "./labels.ts";

/** One column of the table: a validation metric whose direction is known. */
export interface ComparisonColumn {
  metric: string;
  label: string;
  mode: StopMode;
}

/** One member's best value of one metric. */
export interface ComparisonCell {
  value: number;
  epoch: number;
  /** True for the best value of the column when it beats every other by more than `minDelta`: marked ★. */
  winner: boolean;
  /** True for the values within `minDelta` of the column's best when there are several: a tie, no ★. */
  tie: boolean;
}

/** The best validation values of a comparison's members, winners marked. */
export interface ComparisonTable {
  columns: ComparisonColumn[];
  /** The margin a winner must beat the next value by (the early-stopping `min_delta`). */
  minDelta: number;
  rows: { member: ComparisonMember; cells: (ComparisonCell | null)[] }[];
}

/**
 * Tabulates each member's best validation value (and its epoch) per metric,
 * from `Experiment.bestValidation`, and marks the winner of each metric: the
 * lowest or highest by the metric's direction (`content/labels/metrics.yml`,
 * else inferred from the name), but only when it beats the next value by
 * more than `minDelta`, the smallest change early stopping counts as an
 * improvement (single runs differ by noise in the sixth digit; that is not a
 * win). Otherwise the values within `minDelta` of the best are a tie. A column
 * with a single value marks nothing, as there is nothing to win. Columns
 * follow the label table's order, then first appearance. `bySlug` holds the
 * experiments by slug: built once for all of an archive's tables (built per
 * table, a large archive's tables were quadratic).
 */
export function comparisonTable(comparison: Comparison, bySlug: ReadonlyMap<string, Experiment>, labels: MetricLabels, minDelta = 0): ComparisonTable {
  const bests = comparison.members.map((m) => bySlug.get(m.slug)?.bestValidation ?? {});
  const known = Object.keys(labels);
  const rank = (metric: string) => (known.includes(metric) ? known.indexOf(metric) : known.length);
  const columns = [...new Set(bests.flatMap((b) => Object.keys(b)))]
    .sort((a, b) => rank(a) - rank(b))
    .flatMap((metric): ComparisonColumn[] => {
      const direction = metricDirection(metric, labels);
      return direction ? [{ metric, label: metricLabel(metric, labels), mode: direction.mode }] : [];
    });
  const margin = Math.abs(minDelta);
  const marks = columns.map(({ metric, mode }) => {
    const values = bests.flatMap((b) => (b[metric] ? [b[metric].value] : []));
    if (values.length < 2) return null;
    const best = mode === "min" ? Math.min(...values) : Math.max(...values);
    // Within the margin of the best (the best itself included): a tie when more than one.
    const close = (v: number) => Math.abs(v - best) <= margin;
    return { best, close, tied: values.filter(close).length > 1 };
  });
  return {
    columns,
    minDelta: margin,
    rows: comparison.members.map((member, i) => ({
      member,
      cells: columns.map(({ metric }, c) => {
        const best: Best | undefined = bests[i]![metric];
        const mark = marks[c];
        if (!best) return null;
        const close = mark?.close(best.value) ?? false;
        const tied = mark?.tied ?? false;
        return { value: best.value, epoch: best.epoch, winner: close && !tied, tie: close && tied };
      }),
    })),
  };
}
