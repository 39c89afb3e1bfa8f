import type { APIRoute } from "astro";
import { experimentDownloads } from "../../core/archive.ts";
import { derivedDownload, downloadTypes } from "../../io/downloads.ts";
import { getSite } from "../site.ts";

// Dev server only: a build writes these files itself (see `writeDownloads`). One derived file per
// experiment, history.json; the figure and table downloads are made in the browser (see `generatedDownloads`).

/** Derived downloads of each experiment: `/downloads/<slug>/<name>` (see `experimentDownloads`). */
export async function getStaticPaths() {
  const site = await getSite();
  return site.archive.experiments.flatMap((e) => experimentDownloads(e).map((d) => ({ params: { path: `${e.info.slug}/${d.name}` }, props: { slug: e.info.slug, name: d.name } })));
}

export const GET: APIRoute = async ({ props }) => {
  const site = await getSite();
  const experiment = site.experimentsBySlug.get(props["slug"] as string)!;
  const name = props["name"] as string;
  const body = derivedDownload(site, experiment, name);
  return new Response(body, { headers: { "Content-Type": downloadTypes[name.split(".").pop()!] ?? "application/octet-stream" } });
};
