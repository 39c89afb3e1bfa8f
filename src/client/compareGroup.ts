import type { ComparedRun, ComparisonFigureOptions } from "../core/comparisonFigure.ts";
import { comparisonFromSection, type ComparisonSectionData } from "../core/comparisonSection.ts";
import { enhanceOnce } from "./enhanceOnce.ts";
import { fetchHistoryDownload, historyFromDownload } from "./historyDownload.ts";

/**
 * The figures of a kind's page of comparisons above `comparisonsDrawAtBuild`
 * (see docs/comparisons.md): each is drawn when its section comes near the
 * screen (or at once when the address names it), from its members'
 * `history.json` downloads, with the same core spec as the build
 * (`comparisonFigure`, `drawComparison`): the same legend, panels, colours
 * and early-stopping marks. The figure options are the page's (`script[data-comparison-options]`).
 * Observable Plot is loaded only here (a chunk of the site's own bundle).
 * Names are set as text only.
 */
export function compareGroups(root: Document): void {
  const json = root.querySelector("script[data-comparison-options]")?.textContent;
  if (!json) return;
  const options = JSON.parse(json) as ComparisonFigureOptions;
  // Each figure is drawn once: at once when the address names its section, else when the observer first sees it.
  const hosts = enhanceOnce<HTMLElement>(root, "figure[data-comparison-figure]", "queued");
  const draw = (host: HTMLElement) => void compareGroup(host, options);
  const target = decodeURIComponent(root.location.hash.slice(1));
  if (typeof IntersectionObserver === "undefined") {
    for (const host of hosts) draw(host);
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        draw(entry.target as HTMLElement);
      }
    },
    { rootMargin: "600px 0px" },
  );
  for (const host of hosts) {
    if (target !== "" && host.closest("section")?.id === target) draw(host);
    else observer.observe(host);
  }
}

async function compareGroup(host: HTMLElement, options: ComparisonFigureOptions): Promise<void> {
  const json = host.querySelector("script[data-comparison]")?.textContent;
  if (!json) return;
  const base = host.dataset["base"] ?? "/";
  const doc = host.ownerDocument;
  // The figure's frame (PanelFigure.astro's): tools, a status line and the panels' place, before its data.
  const tools = doc.createElement("div");
  tools.className = "figure-tools";
  tools.dataset["figureTools"] = "";
  const status = doc.createElement("p");
  status.className = "note";
  status.setAttribute("role", "status");
  const panels = doc.createElement("div");
  panels.dataset["comparisonPanels"] = "";
  host.querySelector(".figure-body")!.prepend(tools, status, panels);
  const title = doc.getElementById(host.getAttribute("aria-labelledby") ?? "")?.textContent ?? "";
  const comparison = comparisonFromSection(title, JSON.parse(json) as ComparisonSectionData);
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
