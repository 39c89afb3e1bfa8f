import { createHash } from "node:crypto";
import { access, copyFile, link, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { downloads, experimentDownloads, type Experiment } from "../core/archive.ts";
import type { Site } from "./loadSite.ts";
import { makeParentFolders, mapLimit } from "./limit.ts";
import { codeVersion } from "./codeVersion.ts";
import { gitCommit } from "./provenance.ts";

/**
 * Incremental builds. Astro renders every route of a build; a rebuild after
 * one history changed should not. Each experiment and comparison page gets a
 * key: the hash of everything its HTML and downloads are made from (its
 * history files' bytes, the comparisons it is in, the slug, and a site-wide
 * part: runsite's code and locked dependencies, the config, `base`/`site`, the
 * content folder, the run tree's git commit). A build records the keys
 * (`<cacheDir>/pages/`); the next build into the same folder renders only the
 * pages whose key changed and moves the others over from the previous output,
 * which the CLI set aside. Index, facet, note and bibliography pages, the
 * search index and the sitemap are always made anew. Anything unexpected (no
 * record, another output folder, a previous output that is not the recorded
 * one) means a full build. tests/build/incremental.test.ts checks that an
 * incremental build writes the same files as a full one.
 */

/** What a build renders: every page, or only these experiments and comparisons. */
export interface RenderPlan {
  /** Slugs of the experiment pages to render; `null`: all. */
  experiments: ReadonlySet<string> | null;
  /** Ids of the comparison pages to render; `null`: all. */
  comparisons: ReadonlySet<string> | null;
}

/** The record a build leaves for the next one. */
interface Manifest {
  outDir: string;
  buildId: string;
  experiments: Record<string, string>;
  comparisons: Record<string, string>;
  /** Key of the search index (see `searchKey`). */
  search: string;
}

/** The keys of this build and what to do with the previous output. */
export interface Increment {
  plan: RenderPlan;
  keys: { experiments: Map<string, string>; comparisons: Map<string, string> };
  /** The previous output to move unchanged pages from, or null for a full build. */
  previous: string | null;
  /** Why the build is full (when `previous` is null), for the timings line. */
  reason: string;
  /** Key of the search index: when it equals the previous build's, its index is moved over instead of made again. */
  searchKey: string;
  /** Whether the previous output's search index is reused (`previous/pagefind`). */
  reuseSearch: boolean;
}

const marker = ".runsite-build";
/** Hash of every file under the content folder (names and bytes). */
async function contentVersion(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    hash.update(path.relative(dir, file));
    hash.update(await readFile(file).catch(() => Buffer.alloc(0)));
  }
  return hash.digest("hex");
}

const digest = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex");

/** The key of an experiment page (see the module comment). */
function experimentKey(site: Site, experiment: Experiment, global: string): string {
  const compared = (site.comparedIn.get(experiment.info.slug) ?? []).map((c) => [c.id, c.title, c.members.length, c.members.find((m) => m.slug === experiment.info.slug)?.value]);
  return digest(global, experiment.info.slug, experiment.info.file, ...experiment.sources.map((s) => `${s}:${site.hashes.get(s) ?? "unread"}`), JSON.stringify(compared));
}

/** The key of a comparison page. */
function comparisonKey(site: Site, comparison: Site["comparisons"][number], global: string): string {
  const sources = comparison.comparison.members.flatMap((m) => site.experimentsBySlug.get(m.slug)?.sources.map((s) => `${s}:${site.hashes.get(s) ?? "unread"}`) ?? []);
  // Where its figure is drawn depends on how many comparisons there are (`comparisonsDrawAtBuild`),
  // and drawn in the browser, its page sends the reader to its section, which moves as comparisons come and go.
  return digest(global, JSON.stringify(comparison.comparison), comparison.draw, comparison.home ?? "", ...sources);
}

function manifestFile(cacheDir: string, outDir: string): string {
  return path.join(cacheDir, "pages", `${digest(outDir).slice(0, 16)}.json`);
}

/**
 * Decides what this build renders. `previous` is the previous output folder
 * (moved aside by the CLI), or null when there is none.
 */
export async function planIncrement(
  site: Site,
  options: { outDir: string; previous: string | null; cacheDir: string; contentDir: string; astro: { base: string; site: string | undefined } },
): Promise<Increment> {
  const global = digest(
    codeVersion(),
    // Settings that cannot change a page (how many workers, where the cache is, whether problems fail the build) are left out.
    JSON.stringify({ ...site.config, workers: undefined, cacheDir: undefined, strict: undefined }),
    JSON.stringify(options.astro),
    await contentVersion(options.contentDir),
    (await gitCommit(site.runsRoot)) ?? "no commit",
    // Every page cites the authors, which may come from a CITATION.cff outside the content folder.
    JSON.stringify(site.citation.authors),
  );
  const keys = {
    experiments: new Map(site.archive.experiments.map((e) => [e.info.slug, experimentKey(site, e, global)])),
    comparisons: new Map(site.comparisons.map((c) => [c.comparison.id, comparisonKey(site, c, global)])),
  };
  const search = searchKey(site, global);
  const full = (reason: string): Increment => ({ plan: { experiments: null, comparisons: null }, keys, previous: null, reason, searchKey: search, reuseSearch: false });
  if (options.previous === null) return full("no previous output");
  const manifest = await readFile(manifestFile(options.cacheDir, options.outDir), "utf8").then(
    (t) => JSON.parse(t) as Manifest,
    () => null,
  );
  if (manifest === null || manifest.outDir !== options.outDir) return full("no record of the previous build");
  const stamp = await readFile(path.join(options.previous, marker), "utf8").catch(() => null);
  if (stamp !== manifest.buildId) return full("the previous output is not the recorded build");
  const changed = (mine: Map<string, string>, theirs: Record<string, string>) => new Set([...mine].filter(([id, key]) => theirs[id] !== key).map(([id]) => id));
  const plan = { experiments: changed(keys.experiments, manifest.experiments), comparisons: changed(keys.comparisons, manifest.comparisons) };
  // Every file to be kept must still be there (someone may have edited the output).
  const kept = keptFiles(site, plan);
  const missing = (
    await mapLimit(kept, 64, (file) =>
      access(path.join(options.previous!, file)).then(
        () => false,
        () => true,
      ),
    )
  ).some(Boolean);
  if (missing) return full("files of the previous output are missing");
  const reuseSearch =
    manifest.search === search &&
    (await access(path.join(options.previous, "pagefind", "pagefind-entry.json")).then(
      () => true,
      () => false,
    ));
  return { plan, keys, previous: options.previous, reason: "incremental", searchKey: search, reuseSearch };
}

/**
 * The key of the search index. What is searched does not depend on the
 * histories' values: experiment pages are indexed without their numbers
 * (epochs, tables, figure, problems are `data-pagefind-ignore`), and the date,
 * model and dataset pages without their experiment tables. So the index
 * depends on the site-wide part, and on which experiments there are, where,
 * and in which format (shown in the subtitle). A row appended to a history
 * leaves it unchanged.
 */
function searchKey(site: Site, global: string): string {
  return digest(global, JSON.stringify(site.archive.experiments.map((e) => [e.info.slug, e.info.file, e.history.format])));
}

/**
 * The experiment and comparison pages this build does not render: kept from
 * the previous output. None in a full build (a plan of `null`s).
 */
export function keptPages(site: Site, plan: RenderPlan): { experiments: Experiment[]; comparisons: Site["comparisons"] } {
  const { experiments: rendered, comparisons: drawn } = plan;
  return {
    experiments: rendered === null ? [] : site.archive.experiments.filter((e) => !rendered.has(e.info.slug)),
    comparisons: drawn === null ? [] : site.comparisons.filter((c) => !drawn.has(c.comparison.id)),
  };
}

/** The files of the kept pages: each experiment's page and downloads, each comparison's page. */
function keptFiles(site: Site, plan: RenderPlan): string[] {
  const kept = keptPages(site, plan);
  return [...kept.experiments.flatMap(experimentFiles), ...kept.comparisons.map((c) => `compare/${c.comparison.id}/index.html`)];
}

/** The files of the built site that belong to an experiment page (page and downloads). */
function experimentFiles(experiment: Experiment): string[] {
  return [`experiments/${experiment.info.slug}/index.html`, ...downloads(experiment).map((d) => d.path), ...experimentDownloads(experiment).map((d) => d.path)];
}

/**
 * Moves the files of the pages this build did not render from the previous
 * output into `outDir` (and the search index, when it is reused).
 */
export async function carryOver(site: Site, increment: Increment, outDir: string): Promise<void> {
  const { previous, plan } = increment;
  if (previous === null) return;
  const search = increment.reuseSearch
    ? (await readdir(path.join(previous, "pagefind"), { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => path.relative(previous, path.join(e.parentPath, e.name)))
    : [];
  const files = [...keptFiles(site, plan), ...search];
  await makeParentFolders(files.map((file) => path.join(outDir, file)));
  // Linked, not moved: the previous output stays whole until this build replaces it.
  await mapLimit(files, 32, (file) => linkOrCopy(path.join(previous, file), path.join(outDir, file)));
}

/** A hard link where the file system allows one (instant, no bytes copied), else a copy. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  await link(from, to).catch(() => copyFile(from, to));
}

/** Records this build's keys, and stamps the output, for the next build. */
export async function recordBuild(increment: Increment, options: { outDir: string; cacheDir: string; recordAs?: string }): Promise<void> {
  const experiments = Object.fromEntries(increment.keys.experiments);
  const comparisons = Object.fromEntries(increment.keys.comparisons);
  // Derived from the keys: the same inputs stamp the same output, so builds stay byte-identical.
  const buildId = digest(JSON.stringify(experiments), JSON.stringify(comparisons)).slice(0, 32);
  const recordAs = options.recordAs ?? options.outDir;
  const manifest: Manifest = { outDir: recordAs, buildId, experiments, comparisons, search: increment.searchKey };
  const file = manifestFile(options.cacheDir, recordAs);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(path.join(options.outDir, marker), buildId);
  await writeFile(file, JSON.stringify(manifest));
}
