import options from "virtual:runsite/config";
import { readFile } from "node:fs/promises";
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

/** The SVG of an experiment's figure, read from its cache file once a worker has drawn it. */
export async function figureSvg(site: Site, slug: string): Promise<string> {
  site.wantFigure(slug);
  return readFile(await site.figures.get(slug)!, "utf8");
}
