import type { ComparedGroup, ComparedRun, ComparisonFigureOptions } from "../core/comparisonFigure.ts";
import { fetchHistoryDownload, historyFromDownload } from "./historyDownload.ts";

/**
 * What a comparison page drawn in the browser embeds (`script[data-comparison]`):
 * the comparison and the figure's options, no values. Labels are only those
 * of the members' metrics.
 */
export interface ComparisonPageData {
  comparison: ComparedGroup;
  options: ComparisonFigureOptions;
}

/**
 * The figure of a comparison page above `comparisonsDrawAtBuild` (see
 * docs/comparisons.md): fetches each member's `history.json` download and
 * draws, with the same core spec as the build (`comparisonFigure`), the same
 * panels, colours and early-stopping marks. Observable Plot is loaded only
 * here (a chunk of the site's own bundle). Names are set as text only.
 */
export async function compareGroup(root: Document): Promise<void> {
  const host = root.querySelector<HTMLElement>("figure[data-comparison-figure]");
  const json = host?.querySelector("script[data-comparison]")?.textContent;
  if (host === null || host === undefined || !json) return;
  const base = host.dataset["base"] ?? "/";
  const status = host.querySelector<HTMLElement>("[data-compare-status]")!;
  const { comparison, options } = JSON.parse(json) as ComparisonPageData;
  const slugs = [...new Set(comparison.members.map((m) => m.slug))];
  status.textContent = `Loading ${slugs.length} run${slugs.length === 1 ? "" : "s"}…`;
  const [draw, runs] = await Promise.all([
    import("./drawComparison.ts"),
    Promise.all(
      slugs.map(async (slug): Promise<ComparedRun | null> => {
        const doc = await fetchHistoryDownload(base, slug);
        return doc === null ? null : { info: { slug }, history: historyFromDownload(doc) };
      }),
    ),
  ]);
  const found = runs.filter((r): r is ComparedRun => r !== null);
  const missing = slugs.length - found.length;
  draw.drawComparison(host, comparison, found, options);
  status.textContent = missing === 0 ? "" : `${missing} of ${slugs.length} runs could not be loaded; the figure shows the others.`;
  host.dataset["ready"] = "";
}
