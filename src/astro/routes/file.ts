import type { APIRoute } from "astro";
import { readFile } from "node:fs/promises";
import { downloads } from "../../core/archive.ts";
import { getSite } from "../site.ts";

// Dev server only: a build copies these files itself (see `writeDownloads`).

/** The original history files, byte for byte (see `downloads`). */
export async function getStaticPaths() {
  const site = await getSite();
  return site.archive.experiments.flatMap((e) => downloads(e).map((d) => ({ params: { file: d.path.replace(/^files\//, "") }, props: { source: d.source } })));
}

export const GET: APIRoute = async ({ props }) => {
  const site = await getSite();
  const bytes = await readFile(site.sources.get(props["source"] as string)!);
  // Served as bytes: the history is offered exactly as the training wrote it.
  return new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } });
};
