import options from "virtual:runsite/config";
import path from "node:path";
import { getCachedContent, type Content, type Sidecar } from "../io/content.ts";
import { sha256File } from "../io/provenance.ts";
import type { Person } from "../core/people.ts";
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
  /** True when `url` is a path: the site was built without its origin. */
  relative: boolean;
  /** SHA-256 of the history file, when it could be read. */
  sha256?: string;
  /** The commit of the archive's repository, when the history is committed there unchanged. */
  commit?: string;
  /** The archive's authors: `config.author`, else its CITATION.cff's; possibly none. */
  authors: Person[];
  /** The site's title, as the publisher. */
  siteTitle: string;
}

/**
 * The citation data of the experiment page `slug`: its title (sidecar title,
 * else the configured or default title), run date, URL, SHA-256 of the history
 * and the commit of the archive's git repository, when that commit holds the
 * history as it is (a runs folder outside any repository, or a file not
 * committed or changed since, cites no commit).
 */
export async function getExperimentCitation(slug: string, site: URL | undefined): Promise<ExperimentCitation> {
  const data = await getSite();
  const experiment = data.experimentsBySlug.get(slug)!;
  const sidecar = await getSidecar(slug);
  const pagePath = href(`/experiments/${slug}/`);
  const file = path.join(data.runsRoot, experiment.info.file);
  const sha256 = data.hashes.get(experiment.info.file) ?? (await sha256File(file));
  const repository = data.citation.repository;
  const commit = repository !== undefined && experiment.sources.every((source) => repository.committed.has(source)) ? repository.commit : undefined;
  const citation: ExperimentCitation = {
    title: sidecar?.title ?? data.config.experimentTitle ?? experiment.title,
    citationKey: experiment.info.stem,
    url: site === undefined ? pagePath : new URL(pagePath, site).href,
    relative: site === undefined,
    authors: data.citation.authors,
    siteTitle: data.config.title,
  };
  if (experiment.info.date !== undefined) citation.date = experiment.info.date;
  if (sha256 !== undefined) citation.sha256 = sha256;
  if (commit !== undefined) citation.commit = commit;
  return citation;
}
