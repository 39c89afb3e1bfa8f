import type { APIRoute } from "astro";
import { formatCitationCff } from "../../core/citationCff.ts";
import { getSite, href } from "../site.ts";

/**
 * `/CITATION.cff`: how to cite the archive (Citation File Format 1.2.0),
 * from the config's title and authors (else the archive's own CITATION.cff),
 * the site's address and the archive repository's commit. Copied to the
 * repository's root, GitHub shows it as "Cite this repository" (README).
 */
export const GET: APIRoute = async ({ site }) => {
  const data = await getSite();
  const { authors, cff, repository } = data.citation;
  const body = formatCitationCff({
    title: data.config.title,
    authors,
    url: site === undefined ? undefined : new URL(href("/"), site).href,
    commit: repository !== undefined && repository.committed.size > 0 ? repository.commit : undefined,
    doi: cff?.doi,
    license: cff?.license,
    repositoryCode: cff?.repositoryCode,
    keywords: cff?.keywords,
  });
  return new Response(body, { headers: { "Content-Type": "application/x-yaml; charset=utf-8" } });
};
