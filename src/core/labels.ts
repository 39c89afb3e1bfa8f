import { z } from "zod";
import type { Diagnostic } from "./diagnostics.ts";
import { parseNameTable } from "./nameTable.ts";

/** What `content/labels/metrics.yml` says about one metric. */
export interface MetricLabel {
  /** Panel title and table heading. */
  label: string;
  /** Which way is better; inferred from the name when absent. */
  direction?: "min" | "max" | undefined;
  /** One sentence shown beside the label. */
  description?: string | undefined;
}

/** Metric name (as in the header, without `val_`) → its label. */
export type MetricLabels = Record<string, MetricLabel>;

const metricLabelSchema = z
  .object({
    label: z.string().min(1),
    direction: z.enum(["min", "max"]).optional(),
    description: z.string().optional(),
  })
  .strict();

/**
 * Parses a metric-label table (YAML: `name: {label, direction, description}`;
 * a bare string is a label). Entries that do not fit are reported with their
 * line and left out; the rest are kept. Never throws.
 */
export function parseMetricLabels(text: string, file: string): { labels: MetricLabels; diagnostics: Diagnostic[] } {
  const { table, diagnostics } = parseNameTable(text, file, metricLabelSchema, {
    shape: "labels must be a mapping from metric name to label",
    expected: "name: {label: …}",
    ruleId: "labels",
  });
  return { labels: table, diagnostics };
}

/** The display label of a metric: the table's, else the raw name. */
export function metricLabel(metric: string, labels: MetricLabels): string {
  return labels[metric]?.label ?? metric;
}
