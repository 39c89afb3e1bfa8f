import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../core/config.ts";
import { scanRuns, type FoundFile } from "./scan.ts";
import { fingerprint, loadSite, type Progress, type Site } from "./loadSite.ts";

interface Entry {
  key: string;
  stamp: string;
  site: Promise<Site>;
}

// Astro bundles the pages apart from the integration, so the two hold separate
// copies of this module; the cache lives on globalThis so that one build loads
// the archive once, whichever copy asks first. This is the one channel Astro
// leaves between an integration and its pages for live objects (the virtual
// module carries only serialisable config): the loaded site holds promises of
// figures drawn by worker threads, which cannot be serialised.
const slot = Symbol.for("runsite.site-cache");
const store = globalThis as unknown as Record<symbol, Map<string, Entry> | undefined>;
const entries = (store[slot] ??= new Map<string, Entry>());

/**
 * The site for `config`, loaded once per process. With `revalidate` (the dev
 * server), the run tree is stat'ed on every call and reloaded when a file
 * changed, appeared or vanished, so a page reload shows a new epoch.
 */
export async function getCachedSite(config: Config, root: string, { revalidate = false, progress }: { revalidate?: boolean; progress?: Progress } = {}): Promise<Site> {
  const key = JSON.stringify([root, config]);
  const entry = entries.get(key);
  if (entry !== undefined && !revalidate) return entry.site;
  // The run tree and the content folder (labels, notes, bibliography): a change to either reloads the site.
  const stamp = revalidate
    ? await fingerprint([...(await scanRuns(path.resolve(root, config.runs), config.extensions)), ...(await contentFiles(path.resolve(root, config.content)))])
    : "";
  if (entry !== undefined && entry.stamp === stamp) return entry.site;
  const site = loadSite(config, root, progress);
  entries.set(key, { key, stamp, site });
  return site;
}

/** Every file under the content folder, for the dev server's fingerprint. */
async function contentFiles(dir: string): Promise<FoundFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => ({ file: `content:${path.relative(dir, path.join(e.parentPath, e.name))}`, path: path.join(e.parentPath, e.name) }));
}
