import type { InspectDocument } from "../core/inspect.ts";

/**
 * The experiment page's generated downloads (Downloads.astro): the figure on
 * light and dark, the early-stopping CSV and the paper tables are written here,
 * on click, by the core functions the command line uses
 * (`generatedDownloads`), from the page's `history.json` and the page's own
 * figure, and saved with a Blob and an `<a download>`. The site stores one
 * derived file per experiment. Without JavaScript the buttons stay hidden and
 * the page says where the data are. The core functions are loaded on the first
 * click (a chunk of the site's own bundle): most readers never need them.
 */
export function enhanceDownloads(root: Document): void {
  for (const host of root.querySelectorAll<HTMLElement>("[data-downloads]")) {
    const json = host.querySelector<HTMLAnchorElement>("a[data-history]");
    const generated = host.querySelector<HTMLElement>("[data-generated]");
    if (json === null || generated === null) continue;
    const hasFigure = root.querySelector("figure.panels-figure.history") !== null;
    const buttons = [...generated.querySelectorAll<HTMLButtonElement>("button[data-download]")];
    for (const button of buttons) {
      // A figure that could not be drawn has no figure to download.
      if (button.hasAttribute("data-figure") && !hasFigure) {
        button.remove();
        continue;
      }
      button.addEventListener("click", () => {
        button.disabled = true;
        host.querySelector("[data-download-error]")?.remove();
        save(root, button.dataset["download"] ?? "", json.href, host.dataset["stem"] ?? "download")
          .catch((error: Error) => {
            const note = root.createElement("span");
            note.dataset["downloadError"] = "";
            note.className = "warning";
            note.textContent = ` ${button.dataset["download"]} could not be made: ${error.message}`;
            generated.append(note);
          })
          .finally(() => {
            button.disabled = false;
          });
      });
    }
    generated.hidden = false;
  }
}

async function save(root: Document, name: string, historyUrl: string, stem: string): Promise<void> {
  const { generatedDownloads } = await import("../core/generatedDownloads.ts");
  const download = generatedDownloads.find((d) => d.name === name);
  if (download === undefined) throw new Error("unknown download");
  const body = download.needs === "figure" ? download.make(await pageFigure(root)) : download.make(await fetchDoc(historyUrl));
  const url = URL.createObjectURL(new Blob([body], { type: download.type }));
  try {
    const a = root.createElement("a");
    a.href = url;
    a.download = `${stem}.${download.name}`;
    a.hidden = true;
    root.body.append(a);
    a.click();
    a.remove();
  } finally {
    // After the click has handed the Blob to the download.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

async function fetchDoc(url: string): Promise<InspectDocument> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`history.json: ${response.status} ${response.statusText}`);
  return (await response.json()) as InspectDocument;
}

/**
 * The figure as the page was served (the script changes the live panels:
 * crosshair, zoom), read again from the browser's cache, and joined into one SVG.
 */
async function pageFigure(root: Document): Promise<string> {
  const { figurePartsFromPage, joinFigure } = await import("../core/pageFigure.ts");
  const response = await fetch(root.location.href, { cache: "force-cache" });
  if (!response.ok) throw new Error(`page: ${response.status} ${response.statusText}`);
  const parts = figurePartsFromPage(await response.text());
  if (parts === null) throw new Error("the page has no figure");
  return joinFigure(parts);
}
