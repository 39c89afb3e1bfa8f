import type { Experiment } from "./archive.ts";
import { compareStrings } from "./diagnostics.ts";
import { describe, type Descriptions } from "./descriptions.ts";
import type { ExperimentInfo } from "./experiments.ts";

/** The ways the archive is browsed besides the index: one page per date, model and dataset. */
export const facetKinds = ["dates", "projects", "models", "datasets"] as const;

/** One of `dates`, `models`, `datasets`: also the first URL segment of its pages. */
export type FacetKind = (typeof facetKinds)[number];

/** One page of a facet: a date, a model or a dataset, with its experiments. */
export interface Facet {
  kind: FacetKind;
  /** The name as in the run tree, e.g. `unet_2d_mdice`; several when they share a slug. */
  names: string[];
  /** URL segment under `/<kind>/`. */
  slug: string;
  /** Site path without base, e.g. `models/unet_2d_mdice/`. */
  path: string;
  /** Display name: the description table's label, else the name. */
  label: string;
  /** One sentence from the description table (optional). */
  description?: string | undefined;
  /** In archive (path) order. */
  experiments: Experiment[];
}

/** What each facet kind is called in headings. */
export const facetTitles: Record<FacetKind, { plural: string; singular: string }> = {
  dates: { plural: "Dates", singular: "Date" },
  projects: { plural: "Projects", singular: "Project" },
  models: { plural: "Models", singular: "Model" },
  datasets: { plural: "Datasets", singular: "Dataset" },
};

/** The date, model or dataset of an experiment, when its path says. */
export function facetName(info: ExperimentInfo, kind: FacetKind): string | undefined {
  return kind === "dates" ? info.date : kind === "projects" ? info.project : kind === "models" ? info.model : info.dataset;
}

/**
 * The URL segment of a facet name: characters outside `A–Z a–z 0–9 . _ -`
 * become `-` (the rule of experiment slugs), so folder names are safe in URLs.
 */
export function facetSlug(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^[-.]+|-+$/g, "") || "_"
  );
}

/** The site path (without base) of the page of a facet name, e.g. `models/unet_2d_mdice/`. */
export function facetPath(kind: FacetKind, name: string): string {
  return `${kind}/${facetSlug(name)}/`;
}

/**
 * The pages of one facet kind, sorted by slug. Experiments whose path does not
 * name the facet (an undated run) are on no page of that kind. Names that
 * reduce to the same slug share a page rather than overwrite each other.
 */
export function facets(experiments: readonly Experiment[], kind: FacetKind, descriptions: Descriptions): Facet[] {
  const bySlug = new Map<string, Facet>();
  for (const e of experiments) {
    const name = facetName(e.info, kind);
    if (name === undefined) continue;
    const slug = facetSlug(name);
    let facet = bySlug.get(slug);
    if (facet === undefined) {
      const { label, description } = kind === "dates" || kind === "projects" ? { label: name, description: undefined } : describe(name, descriptions[kind]);
      facet = { kind, names: [], slug, path: `${kind}/${slug}/`, label, description, experiments: [] };
      bySlug.set(slug, facet);
    }
    if (!facet.names.includes(name)) facet.names.push(name);
    facet.experiments.push(e);
  }
  return [...bySlug.values()].sort((a, b) => compareStrings(a.slug, b.slug));
}

/** One step of a breadcrumb trail; the last has no path (it is the current page). */
export interface Crumb {
  label: string;
  /** Site path without base; absent on the current page. */
  path?: string | undefined;
  /** Tooltip: the description of a model or dataset (optional). */
  title?: string | undefined;
}

/**
 * The breadcrumb trail of an experiment page: Archive › date › model ›
 * dataset › stem, leaving out what the path does not say.
 */
export function experimentCrumbs(info: ExperimentInfo, descriptions: Descriptions): Crumb[] {
  const crumbs: Crumb[] = [{ label: "Archive", path: "" }];
  if (info.date !== undefined) crumbs.push({ label: info.date, path: facetPath("dates", info.date) });
  if (info.project !== undefined) crumbs.push({ label: info.project, path: facetPath("projects", info.project) });
  if (info.model !== undefined) crumbs.push({ label: info.model, path: facetPath("models", info.model), title: describe(info.model, descriptions.models).description });
  if (info.dataset !== undefined) crumbs.push({ label: info.dataset, path: facetPath("datasets", info.dataset), title: describe(info.dataset, descriptions.datasets).description });
  crumbs.push({ label: info.run });
  return crumbs;
}

/** A name used in a set of experiments, with what the description tables say about it. */
export interface LegendEntry {
  kind: "models" | "datasets" | "optimizers";
  name: string;
  label: string;
  description?: string | undefined;
  /** Site path of the name's page; optimizers have none. */
  path?: string | undefined;
}

/**
 * The models, datasets and optimizers of some experiments, in that order and
 * each sorted by name, for a caption under a table.
 */
export function legend(experiments: readonly Experiment[], descriptions: Descriptions): LegendEntry[] {
  const entries: LegendEntry[] = [];
  for (const kind of ["models", "datasets", "optimizers"] as const) {
    const key = kind === "models" ? "model" : kind === "datasets" ? "dataset" : "optimizer";
    const names = [...new Set(experiments.map((e) => e.info[key]).filter((n): n is string => n !== undefined))].sort(compareStrings);
    for (const name of names) {
      entries.push({ kind, name, ...describe(name, descriptions[kind]), path: kind === "optimizers" ? undefined : facetPath(kind, name) });
    }
  }
  return entries;
}
