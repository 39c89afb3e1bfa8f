import { compareStrings } from "./diagnostics.ts";
import { autoParts, matchLayout, runPath, type Layout } from "./layout.ts";

/**
 * One hyperparameter token of the file-name grammar: a prefix followed by a
 * number, as in `N204` or `DR40`.
 */
export interface ParamSpec {
  /** The prefix in the file name, e.g. `"FBL"`. Case-sensitive. */
  key: string;
  /** A short identifier used in tables and URLs, e.g. `"filters"`. */
  name: string;
  /** What the number means, shown beside it, e.g. `"Filters in the base level"`. */
  label: string;
  /** A unit appended to the value when shown, e.g. `"%"` (optional). */
  unit?: string | undefined;
  /**
   * The value a missing token stands for, e.g. `0` for `DR` (optional). Used
   * when comparing experiments; without it a missing token is a value of its
   * own, shown as "none".
   */
  absent?: number | undefined;
}

/** The seed's grammar: `…_N<samples>_E<epochs>_L<levels>_FBL<filters>[_DR<dropout %>]`. */
export const defaultParams: readonly ParamSpec[] = [
  { key: "N", name: "samples", label: "Training samples" },
  { key: "E", name: "epochs", label: "Planned epochs" },
  { key: "L", name: "levels", label: "U-Net levels" },
  { key: "FBL", name: "filters", label: "Filters in the base level" },
  // The seed leaves the DR token out for runs without dropout (runs/README.md).
  { key: "DR", name: "dropout", label: "Dropout", unit: "%", absent: 0 },
];

/** Optimizer names recognised in a stem when the path does not say where the optimizer is. */
const optimizers = /^(adadelta|adagrad|adam|adamax|adamw|ftrl|lion|nadam|rmsprop|sgd)$/i;

/** A parameter read from a file name. */
export interface Param {
  key: string;
  name: string;
  label: string;
  unit?: string | undefined;
  /** The value a missing token stands for (from the grammar), if any. */
  absent?: number | undefined;
  value: number;
  /** The token as written, e.g. `"DR40"`. */
  raw: string;
}

/** What the path of one history file says about the experiment. */
export interface ExperimentInfo {
  /** Root-relative path with forward slashes: the experiment's identity. */
  file: string;
  /** The file name without its extension (the seed's caption). */
  stem: string;
  /** The run's own name: the stem, or the run folder for a tool layout or a generic file name (`results.csv`). */
  run: string;
  /** How the archive names the run: the project (if any) and the run, e.g. `helmet / train2`. */
  name: string;
  /** The project: folders above the run that the layout does not name otherwise (optional). */
  project?: string | undefined;
  /** Every part the layout named (`date`, `project`, `model`, …, and custom parts), by name. */
  parts: Record<string, string>;
  /** True when a `layout` is configured and this path does not match it (the parts come from `autoParts`). */
  layoutMismatch?: boolean;
  /** The tool layout recognised in the path, when one was. */
  tool?: string | undefined;
  /** URL path segment(s) under `/experiments/`, unique in the archive. */
  slug: string;
  /** `YYYY-MM-DD` from the first folder, when it is a date. */
  date?: string | undefined;
  model?: string | undefined;
  dataset?: string | undefined;
  optimizer?: string | undefined;
  params: Param[];
  /** Tokens of the stem the grammar does not know, verbatim and in order. */
  tokens: string[];
}

/**
 * Reads what a run's path says: date, project, model, dataset, optimizer and
 * custom parts from the `layout` (or, without one or where it does not match,
 * from `autoParts`: the seed's `<date>/<model>/<dataset>/<run>` shape, else
 * project folders), after tool layouts (`runs/detect/<name>/results.csv`,
 * `lightning_logs/version_N/metrics.csv`, …) have named the run. The run's
 * name is then read as tokens of the grammar: `<model>_<optimizer>_<dataset>_N204_E24…`.
 * Unknown tokens are kept in `tokens` (never dropped) when the name has
 * grammar tokens at all; a plain name (`train2`, `bert-imdb`) is just a name.
 *
 * @example parseExperimentPath("2021-03-02/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40.csv")
 */
export function parseExperimentPath(file: string, params: readonly ParamSpec[] = defaultParams, layout?: Layout): ExperimentInfo {
  const name = file.split("/").pop() ?? "";
  const stem = name.replace(/\.[^.]*$/, "") || name;
  const where = runPath(file);
  const matched = layout === undefined ? null : matchLayout(layout, where);
  const parts = matched ?? autoParts(where);
  const { date, model, dataset, project } = parts;

  let rest = where.run;
  let optimizer = parts["optimizer"];
  if (model !== undefined && rest.startsWith(`${model}_`)) rest = rest.slice(model.length + 1);
  if (dataset !== undefined) {
    const at = `_${rest}_`.indexOf(`_${dataset}_`);
    if (at >= 0) {
      optimizer ??= rest.slice(0, Math.max(0, at - 1)) || undefined;
      rest = rest.slice(at + dataset.length + 1);
    }
  }
  const grammar = tokenPattern(params);
  const found: Param[] = [];
  const tokens: string[] = [];
  for (const token of rest.split("_")) {
    if (token === "") continue;
    const m = grammar.exec(token);
    const spec = m && params.find((p) => p.key === m[1]);
    if (m && spec) found.push({ ...spec, value: Number(m[2]), raw: token });
    else if (optimizer === undefined && optimizers.test(token)) optimizer = token;
    else tokens.push(token);
  }
  return {
    file,
    stem,
    run: where.run,
    name: project === undefined ? where.run : `${project} / ${where.run}`,
    project,
    parts: { ...parts, run: where.run },
    ...(layout !== undefined && matched === null ? { layoutMismatch: true } : {}),
    tool: where.tool,
    slug: slugify(file),
    date,
    model,
    dataset,
    optimizer,
    params: found,
    tokens: found.length > 0 ? tokens : [],
  };
}

/** `^(FBL|DR|N|E|L)(\d+(?:\.\d+)?)$`, longest keys first so `FBL` wins over `F`. */
function tokenPattern(params: readonly ParamSpec[]): RegExp {
  const keys = params.map((p) => p.key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).sort((a, b) => b.length - a.length);
  return new RegExp(`^(${keys.join("|") || "(?!)"})(\\d+(?:\\.\\d+)?)$`);
}

/**
 * The URL path of a history file: its root-relative path without extension,
 * each segment reduced to `[A-Za-z0-9._-]` so it is safe in any URL and on any
 * file system. Case is kept: `AdaDelta` stays `AdaDelta`.
 */
export function slugify(file: string): string {
  return file
    .replace(/\.[^./]*$/, "")
    .split("/")
    .map((segment) =>
      shorten(
        segment
          .normalize("NFKD")
          .replace(/[^A-Za-z0-9._-]+/g, "-")
          .replace(/^[-.]+|-+$/g, "") || "_",
      ),
    )
    .join("/");
}

/** Longest URL segment kept as is: file systems refuse names over 255 bytes, and `index.html` lives below. */
const maxSegment = 120;

/** A segment cut to `maxSegment` characters, with a hash of the whole so that cut names stay distinct. */
function shorten(segment: string): string {
  if (segment.length <= maxSegment) return segment;
  // FNV-1a: tiny, stable across platforms and runs, and enough to tell cut names apart.
  let hash = 0x811c9dc5;
  for (let i = 0; i < segment.length; i++) hash = Math.imul(hash ^ segment.charCodeAt(i), 0x01000193) >>> 0;
  return `${segment.slice(0, maxSegment - 9)}-${hash.toString(16).padStart(8, "0")}`;
}

/**
 * Sorts experiments by path and makes slugs unique: when two files reduce to
 * the same slug (`a b.csv` and `a-b.csv`), the later in path order gets `-2`,
 * `-3`, …, so the result does not depend on the order files were found.
 */
export function orderExperiments<T extends { file: string; slug: string }>(items: readonly T[]): T[] {
  const sorted = [...items].sort((a, b) => compareStrings(a.file, b.file));
  const taken = new Set<string>();
  return sorted.map((item) => {
    let slug = item.slug;
    for (let k = 2; taken.has(slug.toLowerCase()); k++) slug = `${item.slug}-${k}`;
    // Case-insensitive: GitHub Pages is served from case-sensitive storage, but
    // a checkout on macOS or Windows is not, and dist/ must survive both.
    taken.add(slug.toLowerCase());
    return slug === item.slug ? item : { ...item, slug };
  });
}
