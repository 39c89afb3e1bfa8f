import options from "virtual:runsite/config";
import { defineMiddleware } from "astro/middleware";
import { downloads, experimentDownloads } from "../core/archive.ts";
import { failedPage, type PageFailure } from "../core/pageFailure.ts";
import { getSite } from "./site.ts";

/**
 * An experiment page that throws while it is rendered costs that page, not the
 * build (ARCHITECTURE.md, "Failures stay local"). A static build renders pages
 * to a string (no streaming), so an error in the page or any of its components
 * reaches `next()` here (or, streamed, the reading of its body); the page is then written as a short one that says
 * why, and the failure is recorded on the site for the problems page and the
 * build's summary (`astro/integration.ts`). Any other page still fails the
 * build. The dev server keeps Astro's error overlay, which shows the stack.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  if (options.dev || context.routePattern !== options.experimentRoute) return next();
  try {
    const response = await next();
    // Read here, not later by Astro: where pages are streamed (a site with server output), an error comes while the body is read.
    return new Response(await response.arrayBuffer(), response);
  } catch (error) {
    const site = await getSite();
    const experiment = site.experimentsBySlug.get(context.params["slug"] ?? "");
    if (experiment === undefined) throw error;
    const { info } = experiment;
    const original = downloads(experiment).map((d) => ({ path: d.path, label: `original file (${d.name})`, download: d.name }));
    const history = experimentDownloads(experiment)
      .filter((d) => d.name === "history.json")
      .map((d) => ({ path: d.path, label: d.label, download: `${info.stem}.${d.name}` }));
    const failure: PageFailure = {
      slug: info.slug,
      file: info.file,
      title: experiment.title,
      message: error instanceof Error ? error.message : String(error),
      links: [...original, ...history],
    };
    site.pageFailures.set(info.slug, failure);
    return new Response(failedPage(failure, { base: options.base, title: site.config.title }), { headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
});
