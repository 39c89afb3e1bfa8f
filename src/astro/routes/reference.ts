import type { APIRoute, GetStaticPaths } from "astro";
import { getContent } from "../content.ts";

/** `/bibliography/<key>.bib` and `/bibliography/<key>.ris`: each reference alone, for reference managers. */
export const getStaticPaths = (async () => {
  const { references } = await getContent();
  return references.flatMap((r) => [
    { params: { file: `${r.key}.bib` }, props: { body: r.bibtex, type: "application/x-bibtex; charset=utf-8" } },
    { params: { file: `${r.key}.ris` }, props: { body: r.ris, type: "application/x-research-info-systems; charset=utf-8" } },
  ]);
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) => {
  const { body, type } = props as { body: string; type: string };
  return new Response(body, { headers: { "Content-Type": type } });
};
