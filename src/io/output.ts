import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { killPoint } from "./killPoint.ts";
import { reportTiming } from "./timings.ts";

/**
 * Atomic output: a build writes into a staging folder and replaces the output
 * folder by renaming only when it succeeded. A failed build removes its
 * staging folder and leaves the output as it was; a killed one leaves only
 * folders in the cache, which the next build removes (or, when it was killed
 * between the two renames of the swap, completes).
 */
export interface StagedOutput {
  /** Where this build writes the site. */
  staging: string;
  /** Replaces the output with the staging folder (two renames, journalled). */
  commit(): Promise<void>;
  /** Removes the staging folder; the output is untouched. */
  abort(): Promise<void>;
}

const journalName = (outDir: string) => `swap-${createHash("sha256").update(outDir).digest("hex").slice(0, 16)}.json`;

interface Journal {
  outDir: string;
  staging: string;
  trash: string;
}

/**
 * Prepares a build of `outDir`: finishes a swap a killed build left half done,
 * removes what killed builds left behind, and makes a fresh staging folder in
 * `cacheDir` (on the output's file system; beside the output, hidden, where the
 * cache is on another one).
 */
export async function stageOutput(outDir: string, cacheDir: string): Promise<StagedOutput> {
  await mkdir(cacheDir, { recursive: true });
  await mkdir(path.dirname(outDir), { recursive: true });
  await recover(cacheDir, outDir);
  const id = `${process.pid}-${Date.now()}`;
  const sameDevice = (await stat(cacheDir)).dev === (await stat(path.dirname(outDir))).dev;
  const home = sameDevice ? cacheDir : path.dirname(outDir);
  const staging = path.join(home, sameDevice ? `output-${id}` : `.${path.basename(outDir)}.runsite-output-${id}`);
  const trash = path.join(home, sameDevice ? `trash-${id}` : `.${path.basename(outDir)}.runsite-trash-${id}`);
  await mkdir(staging);
  // Astro writes the pages' server bundle inside the output folder and imports
  // runsite's dependencies (astro, Plot, jsdom) from there: a link to the
  // folder they are installed in lets Node find them wherever runsite is
  // installed (a project, npx's cache, a global prefix). Removed before the swap.
  await linkDependencies(staging);
  const journal = path.join(cacheDir, journalName(outDir));
  return {
    staging,
    async commit() {
      await unlink(path.join(staging, "node_modules"));
      await writeFile(journal, JSON.stringify({ outDir, staging, trash } satisfies Journal));
      killPoint("swap");
      const hadOutput = await rename(outDir, trash).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return false;
          throw error;
        },
      );
      killPoint("swap-renamed");
      await rename(staging, outDir);
      await rm(journal, { force: true });
      // Deleting thousands of files takes seconds: the process stays alive until it is done.
      if (hadOutput) {
        const started = performance.now();
        void rm(trash, { recursive: true, force: true }).then(
          () => reportTiming(`previous output deleted ${((performance.now() - started) / 1000).toFixed(1)}`),
          () => {},
        );
      }
    },
    async abort() {
      await rm(staging, { recursive: true, force: true });
    },
  };
}

/**
 * Completes a swap that a killed build left half done (the output renamed
 * away, the new site not yet in its place) and removes staging and trash
 * folders of builds whose process is gone, and the `<out>.runsite-old-*`
 * folders of earlier runsite versions.
 */
async function recover(cacheDir: string, outDir: string): Promise<void> {
  const journalFile = path.join(cacheDir, journalName(outDir));
  const journal = await readFile(journalFile, "utf8").then(
    (t) => JSON.parse(t) as Journal,
    () => null,
  );
  if (journal !== null) {
    const outExists = await stat(journal.outDir).then(
      () => true,
      () => false,
    );
    const stagingExists = await stat(journal.staging).then(
      () => true,
      () => false,
    );
    if (!outExists && stagingExists) await rename(journal.staging, journal.outDir);
    else if (!outExists) await rename(journal.trash, journal.outDir).catch(() => {});
    await rm(journalFile, { force: true });
  }
  const leftovers = async (dir: string, pattern: RegExp) => {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const pid = pattern.exec(name)?.[1];
      if (pid !== undefined && !isAlive(Number(pid))) await rm(path.join(dir, name), { recursive: true, force: true });
    }
  };
  await leftovers(cacheDir, /^(?:output|trash)-(\d+)-\d+$/);
  const base = path.basename(outDir).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await leftovers(path.dirname(outDir), new RegExp(`^(?:\\.${base}\\.runsite-(?:output|trash)|${base}\\.runsite-old)-(\\d+)-\\d+$`));
}

/** Whether a process is still running (a build that left a staging folder may still be at work). */
export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Links `<dir>/node_modules` to the folder runsite's dependencies are
 * installed in, so that modules Astro and Vite write or resolve from `dir`
 * find astro, Plot and jsdom wherever runsite is installed.
 */
export async function linkDependencies(dir: string): Promise<void> {
  const link = path.join(dir, "node_modules");
  const target = dependencyFolder();
  const existing = await readlink(link).catch(() => null);
  if (existing === target) return;
  if (existing !== null) await unlink(link);
  else await rm(link, { recursive: true, force: true }); // a folder a tool made there
  await symlink(target, link, "dir");
}

/** The `node_modules` folder runsite's dependencies are installed in (Astro's, as Node resolves it from runsite). */
function dependencyFolder(): string {
  // .../node_modules/astro/package.json → .../node_modules
  return path.dirname(path.dirname(fileURLToPath(import.meta.resolve("astro/package.json"))));
}
