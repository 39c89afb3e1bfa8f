import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { downloads, experimentDownloads, type Experiment } from "../core/archive.ts";
import { inspectDocument } from "../core/inspect.ts";
import { formatStopTable } from "../core/stopTable.ts";
import type { Site } from "./loadSite.ts";
import { mapLimit } from "./limit.ts";

/** Media types of the derived downloads, by extension (for the dev server). */
export const downloadTypes: Record<string, string> = {
  json: "application/json",
  svg: "image/svg+xml",
  csv: "text/csv; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  tex: "application/x-tex",
};

/** The body of one derived download of `experiment` (see `experimentDownloads`). */
export async function derivedDownload(site: Site, experiment: Experiment, name: string): Promise<string> {
  if (name === "history.json") return JSON.stringify(inspectDocument(experiment.info.file, experiment.history, experiment.stops.rows, experiment.diagnostics));
  if (name === "figure.svg") return `<?xml version="1.0" encoding="UTF-8"?>\n${await readFile(await site.figures.get(experiment.info.slug)!, "utf8")}`;
  return formatStopTable(experiment.stops.rows, name.endsWith(".csv") ? "csv" : name.endsWith(".tex") ? "latex" : "markdown");
}

/**
 * Writes every experiment's downloads into the built site: the original
 * history files byte for byte (`files/…`) and the derived files
 * (`downloads/<slug>/…`). A build writes them with plain file calls after
 * Astro's pages: as Astro endpoints they were five routes per experiment,
 * most of a large build's route count. The dev server serves the same bodies
 * through endpoint routes (see `routes/file.ts`, `routes/download.ts`).
 * In an incremental build, only the experiments rendered (`Site.render`).
 * Returns the number of files written.
 */
export async function writeDownloads(site: Site, outDir: string, { concurrency = 32 } = {}): Promise<number> {
  const only = site.render.experiments;
  const experiments = only === null ? site.archive.experiments : site.archive.experiments.filter((e) => only.has(e.info.slug));
  const jobs = experiments.flatMap((experiment) => [
    ...downloads(experiment).map((d) => async () => {
      const target = path.join(outDir, d.path);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(site.sources.get(d.source)!, target);
    }),
    ...experimentDownloads(experiment).map((d) => async () => {
      const target = path.join(outDir, d.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, await derivedDownload(site, experiment, d.name));
    }),
  ]);
  await mapLimit(jobs, concurrency, (job) => job());
  return jobs.length;
}
