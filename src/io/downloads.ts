import { cp, copyFile, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { downloads, experimentDownloads, type Experiment } from "../core/archive.ts";
import { inspectDocument, paperLabels } from "../core/inspect.ts";
import type { Site } from "./loadSite.ts";
import { makeParentFolders, mapLimit } from "./limit.ts";
import { isAlive } from "./output.ts";

/** Media types of the derived downloads, by extension (for the dev server). */
export const downloadTypes: Record<string, string> = {
  json: "application/json",
};

/**
 * The body of one derived download of `experiment` (see
 * `experimentDownloads`): `history.json`, the inspect document with the
 * paper table's settings (the figure's patience, the title, the citation key,
 * the labels of its metrics), so that the browser can write the
 * early-stopping CSV and paper tables from it alone (see `generatedDownloads`).
 */
export function derivedDownload(site: Site, experiment: Experiment, name: string): string {
  if (name !== "history.json") throw new Error(`no derived download ${JSON.stringify(name)} (expected history.json)`);
  const paper = {
    patience: site.config.earlyStopping.patience,
    title: experiment.title,
    key: experiment.info.stem,
    labels: paperLabels(site.labels, new Set(experiment.stops.rows.map((r) => r.metric))),
  };
  return JSON.stringify(inspectDocument(experiment.info.file, experiment.history, experiment.stops.rows, experiment.diagnostics, paper));
}

/**
 * Writes every experiment's downloads into the built site: the original
 * history files byte for byte (`files/…`) and the one derived file
 * (`downloads/<slug>/history.json`). A build writes them with plain file calls while
 * Astro renders the pages (see `stageDownloads`): as Astro endpoints they
 * were five routes per experiment, most of a large build's route count. The
 * dev server serves the same bodies through endpoint routes (see
 * `routes/file.ts`, `routes/download.ts`).
 * In an incremental build, only the experiments rendered (`Site.render`).
 * Returns the number of files written.
 */
export async function writeDownloads(site: Site, outDir: string, { concurrency = 32 } = {}): Promise<number> {
  const only = site.render.experiments;
  const experiments = only === null ? site.archive.experiments : site.archive.experiments.filter((e) => only.has(e.info.slug));
  const jobs = experiments.flatMap((experiment) => [
    ...downloads(experiment).map((d) => ({ experiment, path: d.path, write: (target: string) => copyFile(site.sources.get(d.source)!, target) })),
    ...experimentDownloads(experiment).map((d) => ({
      experiment,
      path: d.path,
      write: async (target: string) => writeFile(target, derivedDownload(site, experiment, d.name)),
    })),
  ]);
  await makeParentFolders(
    jobs.map((job) => path.join(outDir, job.path)),
    concurrency,
  );
  // A download that cannot be written (the history vanished) is left out: the experiment's page is still written.
  const written = await mapLimit(jobs, concurrency, (job) =>
    job.write(path.join(outDir, job.path)).then(
      () => true,
      () => false,
    ),
  );
  return written.filter(Boolean).length;
}

/**
 * Downloads written while Astro renders the pages: into a staging folder of
 * the cache (Astro empties the output folder when it starts writing), moved
 * into the output when the pages are done.
 */
export interface StagedDownloads {
  /** Settles when every file is written (rejects with the first failure). */
  written: Promise<number>;
  /** Moves the staged folders into `outDir` and removes the staging folder. */
  moveInto(outDir: string): Promise<void>;
}

/** Starts writing the downloads of `site` into a fresh staging folder under `cacheDir`. */
export async function stageDownloads(site: Site, cacheDir: string): Promise<StagedDownloads> {
  await removeStale(cacheDir);
  const staging = path.join(cacheDir, `staging-${process.pid}-${Date.now()}`);
  await mkdir(staging, { recursive: true });
  const written = writeDownloads(site, staging);
  written.catch(() => {}); // awaited in moveInto; not an unhandled rejection meanwhile
  return {
    written,
    async moveInto(outDir) {
      try {
        await written;
        for (const folder of await readdir(staging)) {
          const target = path.join(outDir, folder);
          // A rename where both are on one file system; a copy where not.
          await rename(path.join(staging, folder), target).catch(async (error: NodeJS.ErrnoException) => {
            if (error.code !== "EXDEV") throw error;
            await cp(path.join(staging, folder), target, { recursive: true });
          });
        }
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    },
  };
}

/** Removes staging folders left by builds that were stopped (their process is gone). */
async function removeStale(cacheDir: string): Promise<void> {
  const names = await readdir(cacheDir).catch(() => []);
  for (const name of names) {
    const pid = /^staging-(\d+)-\d+$/.exec(name)?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    await rm(path.join(cacheDir, name), { recursive: true, force: true });
  }
}
