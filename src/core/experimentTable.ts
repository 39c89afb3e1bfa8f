import type { Experiment } from "./archive.ts";
import { compareStrings } from "./diagnostics.ts";
import { describe, type DescriptionTable, type Descriptions } from "./descriptions.ts";
import type { ParamSpec } from "./experiments.ts";
import { facetPath } from "./facets.ts";
import { knownParts } from "./layout.ts";
import { formatValue } from "./figures.ts";
import { metricDirection } from "./direction.ts";
import { metricLabel, type MetricLabels } from "./labels.ts";
import { runEnd } from "./stopTable.ts";

/** One column of the experiment table. */
export interface Column {
  /**
   * Identifier in URLs (`?sort=val_vsat_dice`, `?DR=40`) and in each row's
   * `data-<key>` attribute: the parameter key, `val_<metric>`, or a fixed name.
   */
  key: string;
  /** Header text. */
  label: string;
  /** Header tooltip (optional). */
  title?: string | undefined;
  /** How values compare: numerically or as text (numeric-aware). */
  type: "text" | "number";
  /** True when the column is offered as a filter by value (dates, names, parameters). */
  filter: boolean;
  /** The better direction of a best-value column, so that its first click sorts best first (optional). */
  best?: "max" | "min" | undefined;
  /**
   * True when the cells' tooltips say something the page shows nowhere else
   * (why a run stopped): the static pages write them. Names are explained by
   * the legend under the table and experiments by their pages, so those
   * tooltips are left to the script-built rows.
   */
  cellTitles?: true | undefined;
}

/** One cell: what is shown, and the raw value rows carry for sorting and filtering. */
export interface Cell {
  /** Shown text; `—` when missing. */
  text: string;
  /** Raw value for `data-<key>` (full-precision number or name), `null` when missing. */
  value: string | null;
  /** Smaller text after the value, e.g. the epoch of a best value (optional). */
  note?: string | undefined;
  /** Tooltip, e.g. a model's description (optional). */
  title?: string | undefined;
  /** Site path (without base) the text links to (optional). */
  path?: string | undefined;
}

/** One experiment as a table row. */
export interface Row {
  slug: string;
  /** Site path of the experiment page, without base. */
  path: string;
  /** The group the row is shown under: its date, or `undated`. */
  group: string;
  /** One per column, in column order. */
  cells: Cell[];
}

/** The experiment table of a set of experiments, ready to render. */
export interface ExperimentTableModel {
  columns: Column[];
  /** Rows grouped by date, groups and rows in archive (path) order. */
  groups: { date: string; id: string; rows: Row[] }[];
}

/** Keys the URL state or the row markup already uses: a column may not take them. */
const reserved = ["sort", "dir", "q", "group", "slug", "text"];

/**
 * Builds the experiment table: date, model, dataset, optimizer, every
 * hyperparameter that occurs, epochs run / planned, and the best validation
 * value (with its epoch) of every metric that occurs, titled by the metric
 * labels and in their order. Column keys are unique, case-insensitively, and
 * safe as `data-` attribute names.
 */
export function experimentTable(
  experiments: readonly Experiment[],
  options: { params: readonly ParamSpec[]; labels: MetricLabels; descriptions: Descriptions },
): ExperimentTableModel {
  const { params, labels, descriptions } = options;
  const taken = new Set(reserved);
  const unique = (key: string) => {
    const base = key.replace(/[^A-Za-z0-9_.-]+/g, "_");
    let k = base;
    for (let n = 2; taken.has(k.toLowerCase()); n++) k = `${base}-${n}`;
    taken.add(k.toLowerCase());
    return k;
  };
  type Def = Column & { cell: (e: Experiment) => Cell };
  const name = (kind: keyof Descriptions, value: string | undefined, linked: boolean): Cell => {
    if (value === undefined) return missing;
    const { label, description } = describe(value, descriptions[kind] as DescriptionTable);
    const title = [label === value ? "" : label, description ?? ""].filter(Boolean).join(": ") || undefined;
    return { text: value, value, title, path: linked && kind !== "optimizers" ? facetPath(kind, value) : undefined };
  };
  const has = (key: "date" | "project" | "model" | "dataset" | "optimizer") => experiments.some((e) => e.info[key] !== undefined);
  const defs: Def[] = [
    {
      key: unique("stem"),
      label: "Experiment",
      type: "text",
      filter: false,
      cell: (e) => ({ text: e.info.name, value: e.info.name, title: e.title === e.info.name ? undefined : e.title, path: `experiments/${e.info.slug}/` }),
    },
  ];
  // Only the parts the archive's paths provide: no empty Date or Model column for an archive without dates or models.
  if (has("date"))
    defs.push({
      key: unique("date"),
      label: "Date",
      type: "text",
      filter: true,
      cell: (e) => (e.info.date === undefined ? missing : { text: e.info.date, value: e.info.date, path: facetPath("dates", e.info.date) }),
    });
  if (has("project"))
    defs.push({
      key: unique("project"),
      label: "Project",
      type: "text",
      filter: true,
      cell: (e) => (e.info.project === undefined ? missing : { text: e.info.project, value: e.info.project, path: facetPath("projects", e.info.project) }),
    });
  if (has("model")) defs.push({ key: unique("model"), label: "Model", type: "text", filter: true, cell: (e) => name("models", e.info.model, true) });
  if (has("dataset")) defs.push({ key: unique("dataset"), label: "Dataset", type: "text", filter: true, cell: (e) => name("datasets", e.info.dataset, true) });
  if (has("optimizer")) defs.push({ key: unique("optimizer"), label: "Optimizer", type: "text", filter: true, cell: (e) => name("optimizers", e.info.optimizer, false) });
  // Parts of a configured layout beyond the known ones ({seed}, {gpu}, …): a text column each.
  const custom = [...new Set(experiments.flatMap((e) => Object.keys(e.info.parts)))].filter((k) => !(knownParts as readonly string[]).includes(k)).sort(compareStrings);
  for (const part of custom) {
    defs.push({
      key: unique(part),
      label: part.charAt(0).toUpperCase() + part.slice(1),
      type: "text",
      filter: true,
      cell: (e) => (e.info.parts[part] === undefined ? missing : { text: e.info.parts[part]!, value: e.info.parts[part]! }),
    });
  }
  for (const spec of params) {
    if (!experiments.some((e) => e.info.params.some((p) => p.key === spec.key))) continue;
    defs.push({
      key: unique(spec.key),
      label: spec.key,
      title: spec.unit ? `${spec.label} (${spec.unit})` : spec.label,
      type: "number",
      filter: true,
      cell: (e) => {
        const p = e.info.params.find((q) => q.key === spec.key);
        return p ? { text: `${p.value}${spec.unit ?? ""}`, value: String(p.value) } : missing;
      },
    });
  }
  if (experiments.some((e) => e.info.tokens.length > 0)) {
    defs.push({
      key: unique("tokens"),
      label: "Other",
      title: "Tokens of the file name the grammar does not know",
      type: "text",
      filter: false,
      cell: (e) => (e.info.tokens.length > 0 ? { text: e.info.tokens.join(" "), value: e.info.tokens.join(" ") } : missing),
    });
  }
  defs.push({
    key: unique("epochs"),
    label: "Epochs",
    title: "Epochs run / planned",
    type: "number",
    filter: false,
    cellTitles: true,
    cell: (e) => {
      if (e.epochsRun === null && e.epochsPlanned === null) return missing;
      // "stopped early" only when the configured stop explains the file's last row (see runEnd).
      const { patience, monitor } = e.figureOptions.earlyStopping;
      const ended = runEnd({ rows: e.stops.rows, patience, epochsRun: e.epochsRun, epochsPlanned: e.epochsPlanned, ...(monitor === undefined ? {} : { monitor }) });
      return {
        text: `${e.epochsRun ?? "—"}${e.epochsPlanned === null ? "" : ` / ${e.epochsPlanned}`}`,
        value: e.epochsRun === null ? null : String(e.epochsRun),
        ...(ended.badge ? { note: ended.badge, title: ended.reason ?? undefined } : {}),
      };
    },
  });
  for (const metric of metricsOf(experiments, labels)) {
    const label = metricLabel(metric, labels);
    defs.push({
      key: unique(`val_${metric}`),
      label,
      title: `Best validation ${label} (val_${metric}), with its epoch`,
      type: "number",
      filter: false,
      best: metricDirection(metric, labels)?.mode,
      cell: (e) => {
        const best = e.bestValidation[metric];
        // String(number) keeps full precision, so a sort on the raw value matches the CSV.
        // The note "(epoch)" is the only mark of the epoch: the header's title says what it is.
        return best ? { text: formatValue(best.value), value: String(best.value), note: `(${best.epoch})` } : missing;
      },
    });
  }
  const columns = defs.map(({ cell: _, ...column }) => column);
  const groups = new Map<string, Row[]>();
  for (const e of experiments) {
    const cells = defs.map((d) => d.cell(e));
    const group = e.info.date ?? "undated";
    const row: Row = { slug: e.info.slug, path: `experiments/${e.info.slug}/`, group, cells };
    groups.set(group, [...(groups.get(group) ?? []), row]);
  }
  return { columns, groups: [...groups].map(([date, rows]) => ({ date, id: `date-${date}`, rows })) };
}

const missing: Cell = { text: "—", value: null };

/** Metrics with a best validation value somewhere: in label-table order, then by name. */
function metricsOf(experiments: readonly Experiment[], labels: MetricLabels): string[] {
  const found = new Set(experiments.flatMap((e) => Object.keys(e.bestValidation)));
  const order = Object.keys(labels);
  const rank = (m: string) => (order.includes(m) ? order.indexOf(m) : order.length);
  return [...found].sort((a, b) => rank(a) - rank(b) || compareStrings(a, b));
}
