import type { APIRoute, GetStaticPaths } from "astro";
import { comparisonRedirect } from "../../core/comparisonList.ts";
import { getSite, href } from "../site.ts";

/**
 * `/compare/<id>/` of a comparison drawn in the browser: the comparison is a
 * section of its kind's page (`home`), and this small page sends the reader
 * there, so links and citations of the comparison's address keep working. An
 * endpoint rather than a page: none of the site's frame, styles or scripts
 * (a site of 2 000 comparisons writes 2 000 of these).
 */
export const getStaticPaths: GetStaticPaths = async () => {
  const site = await getSite();
  const only = site.render.comparisons;
  return site.comparisons.filter((c) => c.home !== null && (only === null || only.has(c.comparison.id))).map((c) => ({ params: { id: c.comparison.id } }));
};

export const GET: APIRoute = async ({ params }) => {
  const site = await getSite();
  const { comparison, home } = site.comparisonsById.get(params["id"]!)!;
  return new Response(comparisonRedirect(comparison.title, href(`/compare/${home!}`), href("/favicon.svg")), { headers: { "Content-Type": "text/html; charset=utf-8" } });
};
