import options from "virtual:runsite/config";
import { readFile } from "node:fs/promises";
import { killPoint } from "../io/killPoint.ts";
import { getCachedSite } from "../io/siteCache.ts";
import type { Site } from "../io/loadSite.ts";

/** The site model for pages: one call, shared by every page of a build. */
export function getSite(): Promise<Site> {
  return getCachedSite(options.config, options.root, { revalidate: options.dev });
}

/** A site-internal URL under the configured `base`. */
export function href(path: string): string {
  const base = options.base.replace(/\/$/, "");
  return `${base}/${path.replace(/^\//, "")}`;
}

/**
 * The SVG of an experiment's figure, read from its cache file once a worker
 * has drawn it; or why it could not be drawn (the page then says so in its
 * place, and the problems page lists it: see `figureProblems`).
 */
export async function figureSvg(site: Site, slug: string): Promise<{ svg: string } | { error: string }> {
  killPoint("mid-pages");
  site.wantFigure(slug);
  try {
    return { svg: await readFile(await site.figures.get(slug)!, "utf8") };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
