import type { APIRoute } from "astro";
import { runIndex } from "../../core/runIndex.ts";
import { runTable } from "../runTable.ts";
import { getSite } from "../site.ts";

/**
 * `/runs.json`: every run, column by column, for the experiment tables in the
 * browser (src/client/experimentTable.ts), which sort and filter all runs
 * while the static pages show one page each. Data only: the script writes it
 * into the page as text.
 */
export const GET: APIRoute = async () => {
  const site = await getSite();
  const body = JSON.stringify(runIndex(runTable(site, site.archive.experiments)));
  return new Response(body, { headers: { "Content-Type": "application/json; charset=utf-8" } });
};
