import type { Experiment } from "../core/archive.ts";
import { experimentTable, type ExperimentTableModel } from "../core/experimentTable.ts";
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

/** The numbers of a list's pages after the first (page 1 is the list's own route): the `getStaticPaths` of `/page/[n]`. */
export function laterPages(total: number): number[] {
  return Array.from({ length: pageCount(total, pageSize) - 1 }, (_, i) => i + 2);
}
