import type { APIRoute } from "astro";
import { readFile } from "node:fs/promises";
import { getSite } from "../site.ts";

/** The original history files, byte for byte, at `/files/<slug><extension>`. */
export async function getStaticPaths() {
  const site = await getSite();
  return site.archive.experiments.map((e) => ({
    params: { file: `${e.info.slug}${e.info.file.match(/\.[^./]*$/)?.[0] ?? ""}` },
    props: { slug: e.info.slug },
  }));
}

export const GET: APIRoute = async ({ props }) => {
  const site = await getSite();
  const bytes = await readFile(site.sources.get(props["slug"] as string)!);
  return new Response(bytes, { headers: { "Content-Type": "text/csv; charset=utf-8" } });
};
