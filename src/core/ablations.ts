import { compareStrings, type Diagnostic } from "./diagnostics.ts";
import type { ExperimentInfo, ParamSpec } from "./experiments.ts";
import { describe, emptyDescriptions, type Descriptions } from "./descriptions.ts";

/** Where a comparison comes from. */
export type ComparisonKind = "ablation" | "repeats" | "declared";

/** One experiment in a comparison. */
export interface ComparisonMember {
  /** The experiment's slug (its page is `/experiments/<slug>/`). */
  slug: string;
  file: string;
  stem: string;
  date?: string | undefined;
  /** The varying field's value as shown, e.g. `"Dropout 40%"` or `"Adam"`. */
  value: string;
}

/** A group of experiments compared along one field. */
export interface Comparison {
  /** URL path below `/compare/`, unique, e.g. `"dropout/unet_2d_mdice/AdaDelta/fat_384x192x1/N48_E60_L4_FBL24"`. */
  id: string;
  kind: ComparisonKind;
  /**
   * e.g. `"Dropout: 0% vs 40%"`, or the declared name; distinct within an
   * archive: comparisons that would share a title get the fixed settings that
   * tell them apart, `"Dropout: 0% vs 40% · Fat MRI 384×192"`.
   */
  title: string;
  /**
   * One or two sentences: what varies (each value with its number of runs)
   * and what is fixed, e.g. `"Dropout varies: 0% (1 run), 40% (1 run). Fixed:
   * U-Net, AdaDelta, Fat MRI 384×192, training samples 48, …"`.
   */
  description: string;
  /** The varying field: `"model"`, `"dataset"`, `"optimizer"`, `"date"` or a grammar key such as `"DR"`. */
  vary: string;
  /** The varying field's label, e.g. `"Dropout"`. */
  varyLabel: string;
  /** The distinct values of the varying field, in order (one colour each). */
  values: string[];
  /**
   * The fields all members agree on (besides the date), as shown; `short` is
   * the value alone for names, `N204` for tokens; `words` reads in a sentence:
   * a name's label (`content/labels/`), `training samples 48` for tokens.
   */
  fixed: { label: string; value: string; short: string; words: string }[];
  /** Ordered by value, then date, then path. */
  members: ComparisonMember[];
}

/** A comparison declared in the config (see `comparisons` in config.ts). */
export interface ComparisonSpec {
  name: string;
  filter: {
    model?: string | undefined;
    dataset?: string | undefined;
    optimizer?: string | undefined;
    date?: string | undefined;
    /** Token values by grammar key; `null` matches a missing token. */
    params?: Record<string, number | null> | undefined;
  };
  vary: string;
}

/** Options of `findComparisons`. */
export interface FindComparisonsOptions {
  /** The token grammar (`absent` gives the value of a missing token). */
  params: readonly ParamSpec[];
  /** Comparisons declared by hand. Default: `[]`. */
  declared?: readonly ComparisonSpec[];
  /** Labels of models, datasets and optimizers for titles and descriptions. Default: none (names as they are). */
  descriptions?: Descriptions;
}

/** One comparable field of an experiment. */
interface Field {
  key: string;
  label: string;
  /** URL segment name of the field when it varies. */
  name: string;
  /** Grouping key of the value: equal keys, equal values. */
  id: (info: ExperimentInfo) => string;
  /** The value as shown alone, e.g. `"40%"`. */
  show: (info: ExperimentInfo) => string;
  /** The value as shown in a legend, e.g. `"Dropout 40%"` (names need no label, numbers do). */
  legend: (info: ExperimentInfo) => string;
  /** The value in a compact list, e.g. `"DR40"`, as in file names. */
  short: (info: ExperimentInfo) => string;
  /** The value in a title, e.g. `"40%"`, or a name's label (`"U-Net"`). */
  titled: (info: ExperimentInfo) => string;
  /** The value in a sentence, e.g. `"dropout 40%"`, or a name's label. */
  words: (info: ExperimentInfo) => string;
  /** Orders values: numbers numerically, missing first. */
  order: (info: ExperimentInfo) => number | string;
}

const missing = "\u0000";

/**
 * Finds the comparisons in an archive:
 *
 * - **ablations**: maximal groups of experiments that agree on every field but
 *   one (model, dataset, optimizer or one grammar token) and take at least two
 *   values of it. The date is not a field: runs with the same settings on
 *   different days are repeats of one setting, drawn together in the ablation.
 * - **repeats**: groups identical in every field but the date.
 * - **declared**: the config's `comparisons`, in config order.
 *
 * Order: declared, then ablations by field (model, dataset, optimizer, the
 * grammar's tokens) and by the path of their first member, then repeats.
 *
 * Only experiments whose stem has at least one grammar token take part in the
 * automatic groups: for other paths (`lightning_logs/version_0/metrics.csv`)
 * the folders are not settings, and grouping by them would compare unrelated
 * runs. Unknown stem tokens must agree, and never vary. A missing token is
 * its grammar's `absent` value when it has one (`DR` → 0), else a value of its
 * own, "none". The result does not depend on the order of `infos`.
 */
export function findComparisons(infos: readonly ExperimentInfo[], options: FindComparisonsOptions): { comparisons: Comparison[]; diagnostics: Diagnostic[] } {
  const sorted = [...infos].sort((a, b) => compareStrings(a.file, b.file));
  const fields = comparableFields(options.params, sorted, options.descriptions ?? emptyDescriptions());
  const tokens = (info: ExperimentInfo) => info.tokens.join("_");
  const eligible = sorted.filter((info) => info.params.length > 0);
  const comparisons: Comparison[] = [];
  const diagnostics: Diagnostic[] = [];

  for (const spec of options.declared ?? []) {
    const members = sorted.filter((info) => matches(info, spec.filter, options.params));
    const field = dateField.key === spec.vary ? dateField : fields.find((f) => f.key === spec.vary);
    const where = { file: "runsite config", line: 0, fatal: false, ruleId: "comparison" };
    if (field === undefined) continue; // normalizeConfig rejects an unknown field
    if (members.length < 2) {
      diagnostics.push({
        ...where,
        reason: `comparison ${JSON.stringify(spec.name)} matches ${members.length} experiment${members.length === 1 ? "" : "s"}, so it has no page`,
        expected: "at least 2 experiments; widen its filter",
      });
      continue;
    }
    const comparison = createComparison("declared", `named/${segment(spec.name)}`, field, members, fields, spec.name);
    if (comparison.values.length < 2)
      diagnostics.push({
        ...where,
        reason: `comparison ${JSON.stringify(spec.name)}: all ${members.length} experiments have the same ${field.label.toLowerCase()}`,
        expected: `experiments that differ in ${spec.vary}`,
      });
    comparisons.push(comparison);
  }

  for (const field of fields) {
    const others = fields.filter((f) => f !== field);
    for (const members of groupBy(eligible, (info) => JSON.stringify([...others.map((f) => f.id(info)), tokens(info)]))) {
      if (new Set(members.map(field.id)).size < 2) continue;
      comparisons.push(createComparison("ablation", [field.name, ...fixedSegments(members[0]!, field, fields)].join("/"), field, members, fields));
    }
  }

  for (const members of groupBy(eligible, (info) => JSON.stringify([...fields.map((f) => f.id(info)), tokens(info)]))) {
    if (members.length < 2) continue;
    comparisons.push(createComparison("repeats", ["repeats", ...fixedSegments(members[0]!, dateField, fields)].join("/"), dateField, members, fields));
  }
  return { comparisons: distinctTitles(uniqueIds(comparisons)), diagnostics };
}

/**
 * The comparisons each experiment belongs to, in their order, by slug: one
 * pass over the groups, so that each page looks up its own (a scan per page
 * is quadratic: 10 000 pages × 6 000 groups).
 */
export function comparisonsByMember(comparisons: readonly Comparison[]): Map<string, Comparison[]> {
  const bySlug = new Map<string, Comparison[]>();
  for (const comparison of comparisons) {
    for (const slug of new Set(comparison.members.map((m) => m.slug))) {
      const list = bySlug.get(slug);
      if (list === undefined) bySlug.set(slug, [comparison]);
      else list.push(comparison);
    }
  }
  return bySlug;
}

const dateField: Field = {
  key: "date",
  label: "Date",
  name: "date",
  id: (info) => info.date ?? missing,
  show: (info) => info.date ?? "no date",
  legend: (info) => info.date ?? "no date",
  short: (info) => info.date ?? "no date",
  titled: (info) => info.date ?? "no date",
  words: (info) => info.date ?? "no date",
  order: (info) => info.date ?? "",
};

/** Model, dataset, optimizer, then the grammar's tokens (and tokens parsed with another grammar). */
function comparableFields(params: readonly ParamSpec[], infos: readonly ExperimentInfo[], descriptions: Descriptions): Field[] {
  const kinds = { model: "models", dataset: "datasets", optimizer: "optimizers" } as const;
  const folder = (key: "model" | "dataset" | "optimizer", label: string): Field => ({
    key,
    label,
    name: key,
    id: (info) => info[key] ?? missing,
    show: (info) => info[key] ?? "none",
    legend: (info) => info[key] ?? `no ${key}`,
    short: (info) => info[key] ?? `no ${key}`,
    titled: (info) => (info[key] === undefined ? `no ${key}` : describe(info[key], descriptions[kinds[key]]).label),
    words: (info) => (info[key] === undefined ? `no ${key}` : describe(info[key], descriptions[kinds[key]]).label),
    order: (info) => info[key] ?? "",
  });
  const specs = new Map(params.map((p) => [p.key, p]));
  for (const info of infos) for (const p of info.params) if (!specs.has(p.key)) specs.set(p.key, p);
  const tokenFields = [...specs.values()].map((spec): Field => {
    const value = (info: ExperimentInfo) => info.params.find((p) => p.key === spec.key)?.value ?? spec.absent ?? null;
    return {
      key: spec.key,
      label: spec.label,
      name: spec.name,
      id: (info) => String(value(info) ?? missing),
      show: (info) => (value(info) === null ? "none" : `${value(info)}${spec.unit ?? ""}`),
      legend: (info) => `${spec.label} ${value(info) === null ? "none" : `${value(info)}${spec.unit ?? ""}`}`,
      short: (info) => (value(info) === null ? `no ${spec.key}` : `${spec.key}${value(info)}`),
      titled: (info) => (value(info) === null ? "none" : `${value(info)}${spec.unit ?? ""}`),
      words: (info) => `${inSentence(spec.label)} ${value(info) === null ? "none" : `${value(info)}${spec.unit ?? ""}`}`,
      // Missing first, then ascending.
      order: (info) => value(info) ?? -Infinity,
    };
  });
  return [folder("model", "Model"), folder("dataset", "Dataset"), folder("optimizer", "Optimizer"), ...tokenFields];
}

function createComparison(kind: ComparisonKind, id: string, field: Field, infos: readonly ExperimentInfo[], fields: readonly Field[], name?: string): Comparison {
  const sorted = [...infos].sort(
    (a, b) => compareOrder(field.order(a), field.order(b)) || compareStrings(a.date ?? "\uffff", b.date ?? "\uffff") || compareStrings(a.file, b.file),
  );
  const values = [...new Set(sorted.map(field.legend))];
  const fixed = fields
    .filter((f) => f !== field && f !== dateField && new Set(sorted.map(f.id)).size === 1 && f.id(sorted[0]!) !== missing)
    .map((f) => ({ label: f.label, value: f.show(sorted[0]!), short: f.short(sorted[0]!), words: f.words(sorted[0]!) }));
  const runs = new Map<string, number>();
  for (const info of sorted) runs.set(field.titled(info), (runs.get(field.titled(info)) ?? 0) + 1);
  const varies = [...runs].map(([value, n]) => `${value} (${n} run${n === 1 ? "" : "s"})`).join(", ");
  const description = `${kind === "repeats" ? "Repeated on" : `${field.label} varies:`} ${varies}.${fixed.length > 0 ? ` Fixed: ${fixed.map((f) => f.words).join(", ")}.` : ""}`;
  return {
    id,
    kind,
    title: name ?? (kind === "repeats" ? `Repeats: ${values.join(", ")}` : `${field.label}: ${[...runs.keys()].join(" vs ")}`),
    description,
    vary: field.key,
    varyLabel: field.label,
    values,
    fixed,
    members: sorted.map((info) => ({ slug: info.slug, file: info.file, stem: info.stem, date: info.date, value: field.legend(info) })),
  };
}

/** `<model>/<optimizer>/<dataset>/<tokens>` without the varying field, in the file name's order. */
function fixedSegments(info: ExperimentInfo, vary: Field, fields: readonly Field[]): string[] {
  const folders = (["model", "optimizer", "dataset"] as const).filter((k) => k !== vary.key).map((k) => segment(info[k] ?? "_"));
  const tokens = fields.filter((f) => !["model", "dataset", "optimizer", vary.key].includes(f.key) && f.id(info) !== missing).map((f) => `${f.key}${f.id(info)}`);
  const all = [...tokens, ...info.tokens].join("_");
  return all === "" ? folders : [...folders, segment(all)];
}

function matches(info: ExperimentInfo, filter: ComparisonSpec["filter"], params: readonly ParamSpec[]): boolean {
  for (const key of ["model", "dataset", "optimizer", "date"] as const) {
    if (filter[key] !== undefined && info[key] !== filter[key]) return false;
  }
  return Object.entries(filter.params ?? {}).every(([key, wanted]) => {
    const value = info.params.find((p) => p.key === key)?.value ?? params.find((p) => p.key === key)?.absent ?? null;
    return value === wanted;
  });
}

/** A label inside a sentence: `"Training samples"` → `"training samples"`, but `"U-Net levels"` and `"LR"` stay. */
function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

/** Groups in first-seen order (the input is sorted by path). */
function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}

function compareOrder(a: number | string, b: number | string): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return compareStrings(String(a), String(b));
}

/** A URL segment, reduced like experiment slugs (`[A-Za-z0-9._-]`). */
function segment(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^[-.]+|-+$/g, "") || "_"
  );
}

/**
 * Makes titles distinct: comparisons that share a title get, after a `·`,
 * the fewest fixed settings (in field order) that tell them apart, e.g.
 * `"Dropout: 0% vs 40% · Fat MRI 384×192"`; any still alike get their id.
 */
function distinctTitles(comparisons: readonly Comparison[]): Comparison[] {
  const suffixes = new Map<Comparison, string>();
  for (const group of groupBy(comparisons, (c) => c.title)) {
    if (group.length < 2) continue;
    const labels = [...new Set(group.flatMap((c) => c.fixed.map((f) => f.label)))];
    const words = (c: Comparison, label: string) => c.fixed.find((f) => f.label === label)?.words ?? `various ${label.toLowerCase()}`;
    const differing = labels.filter((label) => new Set(group.map((c) => words(c, label))).size > 1);
    const chosen: string[] = [];
    for (const label of differing) {
      chosen.push(label);
      if (new Set(group.map((c) => chosen.map((l) => words(c, l)).join())).size === group.length) break;
    }
    for (const c of group) suffixes.set(c, chosen.map((l) => words(c, l)).join(", "));
  }
  const titled = comparisons.map((c) => (suffixes.get(c) ? { ...c, title: `${c.title} · ${suffixes.get(c)}` } : c));
  const count = new Map<string, number>();
  for (const c of titled) count.set(c.title, (count.get(c.title) ?? 0) + 1);
  return titled.map((c) => (count.get(c.title)! > 1 ? { ...c, title: `${c.title} (${c.id})` } : c));
}

/**
 * Makes ids unique: on a (case-insensitive) collision the later comparison
 * gets `-2`, `-3`, …; the order is already independent of the input's.
 */
function uniqueIds(comparisons: readonly Comparison[]): Comparison[] {
  const taken = new Set<string>();
  return comparisons.map((c) => {
    let id = c.id;
    for (let k = 2; taken.has(id.toLowerCase()); k++) id = `${c.id}-${k}`;
    taken.add(id.toLowerCase());
    return id === c.id ? c : { ...c, id };
  });
}
