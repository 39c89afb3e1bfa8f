import { figureDataFor, type FigureData } from "../core/figureData.ts";
import type { Axis } from "../core/history.ts";
import type { InspectDocument } from "../core/inspect.ts";
import { historyFromDownload } from "./historyDownload.ts";

const cache = new WeakMap<HTMLElement, Promise<FigureData | null>>();

/**
 * The values behind a figure on the page (PanelFigure.astro), for the
 * crosshair, zoom, smoothing and data table. A comparison figure carries them
 * in `script[data-figure-data]`. An experiment's figure does not: its values
 * are the run's `history.json` (`data-history`), which the page links as a
 * download anyway, and `figureDataFor` makes the same data from it and the
 * page's own panels (metric, axis, title), so the page carries the values
 * once, as lines. Asked once per figure (the promise is shared); `null` when
 * there are no values to be had (the static figure stays as it is).
 */
export function figureDataOf(figure: HTMLElement): Promise<FigureData | null> {
  let data = cache.get(figure);
  if (data === undefined) {
    data = load(figure).catch(() => null);
    cache.set(figure, data);
  }
  return data;
}

async function load(figure: HTMLElement): Promise<FigureData | null> {
  const json = figure.querySelector("script[data-figure-data]")?.textContent;
  if (json) return JSON.parse(json) as FigureData;
  const url = figure.dataset["history"];
  if (url === undefined) return null;
  // Read before any script adds to the titles (the log switch is a button inside them).
  const panels = panelKeys(figure);
  const response = await fetch(url);
  if (!response.ok) return null;
  return figureDataFor(historyFromDownload((await response.json()) as InspectDocument), panels);
}

/** The page's panels in order: metric (the panel's `data-metric`), axis (the figure's `data-axes`, epoch when absent) and title (its text). */
export function panelKeys(figure: HTMLElement): { metric: string; axis: Axis; title: string }[] {
  const axes = (figure.dataset["axes"] ?? "").split(",");
  return [...figure.querySelectorAll<HTMLElement>(".panel[data-panel]")]
    .map((box) => ({ index: Number(box.dataset["panel"]), box }))
    .sort((a, b) => a.index - b.index)
    .map(({ index, box }) => ({
      metric: box.querySelector<SVGElement>("svg.runsite-panel")?.dataset["metric"] ?? "",
      axis: (axes[index] === "step" ? "step" : "epoch") as Axis,
      title: [...(box.querySelector(".panel-title")?.childNodes ?? [])]
        .filter((n) => n.nodeType === 3)
        .map((n) => n.textContent)
        .join(""),
    }));
}
