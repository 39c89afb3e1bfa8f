import options from "virtual:runsite/config";
import path from "node:path";
import { getCachedContent, type Content, type Sidecar } from "../io/content.ts";
import { gitCommit, sha256File } from "../io/provenance.ts";
import { getSite, href } from "./site.ts";

/** Bibliography, notes and sidecars for pages, with links under the configured `base`. */
export async function getContent(): Promise<Content> {
  return getCachedContent(await getSite(), options.root, options.base);
}

/** The rendered sidecar (`<stem>.md` beside the history) of an experiment, or `null`. */
export async function getSidecar(slug: string): Promise<Sidecar | null> {
  return (await getContent()).sidecars.get(slug) ?? null;
}

/** What "cite this experiment" shows: the props of `CiteExperiment.astro`. */
export interface ExperimentCitation {
  title: string;
  /** The history's stem. */
  citationKey: string;
  /** `YYYY-MM-DD` of the run (from its folder), when known. */
  date?: string;
  /** Absolute URL when the site's origin is configured (`--site`), else the path. */
  url: string;
  /** SHA-256 of the history file, when it could be read. */
  sha256?: string;
  /** The commit checked out in the run tree, when it is a git repository. */
  commit?: string;
  /** `config.author`, or "runsite archive". */
  author: string;
  /** The site's title, as the publisher. */
  siteTitle: string;
}

/**
 * The citation data of the experiment page `slug`: its title (sidecar title,
 * else the configured or default title), run date, URL, SHA-256 of the history
 * and git commit of the run tree.
 */
export async function getExperimentCitation(slug: string, site: URL | undefined): Promise<ExperimentCitation> {
  const data = await getSite();
  const experiment = data.experimentsBySlug.get(slug)!;
  const sidecar = await getSidecar(slug);
  const pagePath = href(`/experiments/${slug}/`);
  const file = path.join(data.runsRoot, experiment.info.file);
  // The commit of the run tree (one repository for the archive), not per folder.
  const [sha256, commit] = await Promise.all([data.hashes.get(experiment.info.file) ?? sha256File(file), gitCommit(data.runsRoot)]);
  const citation: ExperimentCitation = {
    title: sidecar?.title ?? data.config.experimentTitle ?? experiment.title,
    citationKey: experiment.info.stem,
    url: site === undefined ? pagePath : new URL(pagePath, site).href,
    author: data.config.author ?? "runsite archive",
    siteTitle: data.config.title,
  };
  if (experiment.info.date !== undefined) citation.date = experiment.info.date;
  if (sha256 !== undefined) citation.sha256 = sha256;
  if (commit !== undefined) citation.commit = commit;
  return citation;
}
