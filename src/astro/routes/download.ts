import type { APIRoute } from "astro";
import { experimentDownloads } from "../../core/archive.ts";
import { inspectDocument } from "../../core/inspect.ts";
import { formatStopTable } from "../../core/stopTable.ts";
import { figureSvg, getSite } from "../site.ts";

/** Derived downloads of each experiment: `/downloads/<slug>/<name>` (see `experimentDownloads`). */
export async function getStaticPaths() {
  const site = await getSite();
  return site.archive.experiments.flatMap((e) =>
    experimentDownloads(e).map((d) => ({ params: { path: `${e.info.slug}/${d.name}` }, props: { slug: e.info.slug, name: d.name } })),
  );
}

const types: Record<string, string> = {
  json: "application/json",
  svg: "image/svg+xml",
  csv: "text/csv; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  tex: "application/x-tex",
};

export const GET: APIRoute = async ({ props }) => {
  const site = await getSite();
  const e = site.archive.experiments.find((x) => x.info.slug === props["slug"])!;
  const name = props["name"] as string;
  const body =
    name === "history.json"
      ? JSON.stringify(inspectDocument(e.info.file, e.history, e.stops.rows, e.diagnostics))
      : name === "figure.svg"
        ? `<?xml version="1.0" encoding="UTF-8"?>\n${await figureSvg(site, e.info.slug)}`
        : formatStopTable(e.stops.rows, name.endsWith(".csv") ? "csv" : name.endsWith(".tex") ? "latex" : "markdown");
  return new Response(body, { headers: { "Content-Type": types[name.split(".").pop()!] ?? "application/octet-stream" } });
};
