import { parseDocument } from "yaml";
import { z } from "zod";
import type { Diagnostic } from "./diagnostics.ts";

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
  const diagnostics: Diagnostic[] = [];
  const labels: MetricLabels = {};
  const doc = parseDocument(text, { prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 0 : lineAt(text, offset));
  for (const error of doc.errors) {
    diagnostics.push({ file, line: lineOf(error.pos[0]), reason: `invalid YAML: ${error.message.split("\n")[0]}`, fatal: true, ruleId: "yaml" });
  }
  if (doc.errors.length > 0) return { labels, diagnostics };
  const root: unknown = doc.toJS();
  if (root === null || root === undefined) return { labels, diagnostics };
  if (typeof root !== "object" || Array.isArray(root)) {
    diagnostics.push({ file, line: 1, reason: "labels must be a mapping from metric name to label", expected: "name: {label: …}", actual: Array.isArray(root) ? "a list" : typeof root, fatal: true, ruleId: "labels-shape" });
    return { labels, diagnostics };
  }
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    const result = metricLabelSchema.safeParse(typeof value === "string" ? { label: value } : value);
    if (result.success) {
      labels[name] = result.data;
      continue;
    }
    const node = doc.get(name, true) as { range?: [number, number, number] } | undefined;
    for (const issue of result.error.issues) {
      diagnostics.push({ file, line: lineOf(node?.range?.[0]), column: [name, ...issue.path.map(String)].join("."), reason: `${issue.message}; entry left out`, fatal: false, ruleId: "labels-entry" });
    }
  }
  return { labels, diagnostics };
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The display label of a metric: the table's, else the raw name. */
export function metricLabel(metric: string, labels: MetricLabels): string {
  return labels[metric]?.label ?? metric;
}
