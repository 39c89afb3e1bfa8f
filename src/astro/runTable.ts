import type { Experiment } from "../core/archive.ts";
import { experimentTable, type ExperimentTableModel } from "../core/experimentTable.ts";
import { legend, type LegendEntry } from "../core/facets.ts";
import { pageCount, pageSize } from "../core/pagination.ts";
import type { Site } from "../io/loadSite.ts";

const tables = new WeakMap<readonly Experiment[], ExperimentTableModel>();

/**
 * The experiment table of a list of runs (the archive, a facet), built once
 * per list: every page of a paginated list and `/runs.json` share it.
 */
export function runTable(site: Site, experiments: readonly Experiment[]): ExperimentTableModel {
  let table = tables.get(experiments);
  if (table === undefined) tables.set(experiments, (table = experimentTable(experiments, { params: site.config.params, labels: site.labels, descriptions: site.descriptions })));
  return table;
}

const legends = new WeakMap<readonly Experiment[], LegendEntry[]>();

/** The legend under a list's table (its models, datasets and optimizers), built once per list like its table: 200 pages of 10 000 runs each made it again. */
export function runLegend(site: Site, experiments: readonly Experiment[]): LegendEntry[] {
  let entries = legends.get(experiments);
  if (entries === undefined) legends.set(experiments, (entries = legend(experiments, site.descriptions)));
  return entries;
}

/** The numbers of a list's pages after the first (page 1 is the list's own route): the `getStaticPaths` of `/page/[n]`. */
export function laterPages(total: number): number[] {
  return Array.from({ length: pageCount(total, pageSize) - 1 }, (_, i) => i + 2);
}
