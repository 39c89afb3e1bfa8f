import * as Plot from "@observablehq/plot";
import { comparisonData, comparisonFigure, comparisonLegend, type ComparedGroup, type ComparedRun, type ComparisonFigureOptions } from "../core/comparisonFigure.ts";
import { panelGroups } from "../core/figureData.ts";
import type { Overlay, PanelSpec } from "../core/figures.ts";
import { enhanceFigures } from "./figure.ts";

const svgNs = "http://www.w3.org/2000/svg";

/**
 * Draws a comparison figure into `host` (a `figure[data-comparison-figure]`):
 * the panels of `comparisonFigure`'s spec, each drawn by `Plot.plot` with the
 * early-stopping overlay, in the markup PanelFigure.astro gives a figure
 * drawn at build time (`.panel[data-panel] > .panel-title + .panel-plot >
 * svg.runsite-panel[data-scales]`), so the crosshair, zoom and smoothing of
 * `enhanceFigures` work on it too, and the legend before them.
 */
export function drawComparison(host: HTMLElement, comparison: ComparedGroup, runs: readonly ComparedRun[], options: ComparisonFigureOptions): void {
  const doc = host.ownerDocument;
  const spec = comparisonFigure(comparison, runs, options);
  host.querySelector(".figure-body")!.prepend(legend(doc, comparison, options));
  const boxes = spec.panels.map((panel, i) => panelBox(doc, panel, i, host.dataset["idPrefix"] ?? "figure-comparison"));
  const groups = panelGroups(spec.panels.map((p) => p.metric));
  const grid = (indices: readonly number[]) => element(doc, "div", { class: "panels" }, ...indices.map((i) => boxes[i]!));
  host.querySelector("[data-comparison-panels]")!.replaceChildren(
    ...groups.map((g) => {
      if (groups.length === 1) return grid(g.panels);
      const details = element(doc, "details", { class: "panel-group", "data-prefix": g.prefix });
      (details as HTMLDetailsElement).open = g.open;
      const summary = element(doc, "summary", {});
      const first = spec.panels[g.panels[0]!]!.metric;
      const last = spec.panels[g.panels.at(-1)!]!.metric;
      summary.textContent = `${g.prefix === "" ? "Overall" : `${g.prefix}_…`} (${g.panels.length} panel${g.panels.length === 1 ? "" : "s"}: ${first}${g.panels.length > 1 ? ` … ${last}` : ""})`;
      details.append(summary, grid(g.panels));
      return details;
    }),
  );
  // The crosshair's values, as the build embeds them (set as text: never parsed as markup).
  const data = element(doc, "script", { type: "application/json", "data-figure-data": "" });
  data.textContent = JSON.stringify(comparisonData(comparison, runs, options.labels));
  host.querySelector("[data-comparison-panels]")!.after(data);
  host.setAttribute("data-figure", "");
  enhanceFigures(doc);
}

/** One panel as PanelFigure.astro lays it out: its title, then its plot. */
function panelBox(doc: Document, panel: PanelSpec, index: number, idPrefix: string): HTMLElement {
  const titleId = `${idPrefix}-title-${index}`;
  const title = element(doc, "p", { class: "panel-title", id: titleId });
  title.textContent = panel.title;
  const plot = Plot.plot({ ...panel.plot, width: panel.width, height: panel.height, document: doc });
  withOverlay(doc, plot, panel.overlay);
  // Plot names its marks with aria-label on <g>, which ARIA prohibits there: the panel is one image named by its title.
  for (const e of plot.querySelectorAll("[aria-label]")) e.removeAttribute("aria-label");
  plot.setAttribute("class", `${plot.getAttribute("class") ?? ""} runsite-panel`);
  plot.setAttribute("data-metric", panel.metric);
  plot.setAttribute("data-panel", String(index));
  plot.setAttribute("data-scales", JSON.stringify(panelScales(plot)));
  plot.setAttribute("role", "img");
  plot.setAttribute("aria-labelledby", titleId);
  return element(doc, "div", { class: "panel", "data-panel": String(index) }, title, element(doc, "div", { class: "panel-plot" }, plot));
}

/** The overlay as src/render/svg.ts writes it: rules right after the frame (under the lines), dots over everything. */
function withOverlay(doc: Document, plot: ReturnType<typeof Plot.plot>, overlay: Overlay): void {
  const x = plot.scale("x")!;
  const y = plot.scale("y")!;
  const color = plot.scale("color")!;
  const paint = (z: string | null) => (z === null ? "currentColor" : String(color.apply(z)));
  const titled = (node: Element, text: string | undefined) => {
    if (text === undefined) return node;
    const title = doc.createElementNS(svgNs, "title");
    title.textContent = text;
    node.append(title);
    return node;
  };
  const [top, bottom] = [Math.min(...(y.range as number[])), Math.max(...(y.range as number[]))];
  const frame = plot.querySelector('[aria-label="frame"]');
  for (const layer of overlay.rules.filter((l) => l.data.length > 0).reverse()) {
    const g = svgElement(doc, "g", {
      class: "overlay",
      "stroke-width": layer.strokeWidth,
      "stroke-dasharray": layer.strokeDasharray,
      ...(layer.strokeOpacity === undefined ? {} : { "stroke-opacity": layer.strokeOpacity }),
    });
    for (const d of layer.data) {
      const px = x.apply(d.x) as number;
      if (Number.isFinite(px)) g.append(titled(svgElement(doc, "line", { x1: round(px), x2: round(px), y1: top, y2: bottom, stroke: paint(d.z), "data-x": d.x }), d.title));
    }
    if (frame === null) plot.prepend(g);
    else frame.after(g);
  }
  for (const layer of overlay.dots.filter((l) => l.data.length > 0)) {
    const g = svgElement(doc, "g", { class: "overlay", ...(layer.paint === "stroke" ? { fill: "none", "stroke-width": layer.strokeWidth ?? 1 } : {}) });
    for (const d of layer.data) {
      const [cx, cy] = [x.apply(d.x) as number, y.apply(d.y) as number];
      if (Number.isFinite(cx) && Number.isFinite(cy))
        g.append(titled(svgElement(doc, "circle", { cx: round(cx), cy: round(cy), r: layer.r, [layer.paint]: paint(d.z), "data-x": d.x, "data-y": d.y }), d.title));
    }
    plot.append(g);
  }
}

/** A panel's scales as the page's script reads them (as src/render/svg.ts writes them). */
function panelScales(plot: ReturnType<typeof Plot.plot>): Record<"x" | "y", [string, number, number, number, number]> {
  const scale = (name: "x" | "y"): [string, number, number, number, number] => {
    const s = plot.scale(name)!;
    const [d0, d1] = s.domain as number[];
    const [r0, r1] = s.range as number[];
    return [String(s.type), d0!, d1!, round(r0!), round(r1!)];
  };
  return { x: scale("x"), y: scale("y") };
}

function element(doc: Document, name: string, attributes: Record<string, string>, ...children: Node[]): HTMLElement {
  const e = doc.createElement(name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function svgElement(doc: Document, name: string, attributes: Record<string, string | number>): SVGElement {
  const e = doc.createElementNS(svgNs, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  return e as SVGElement;
}

function round(px: number): number {
  return Math.round(px * 100) / 100;
}

/** The legend PanelFigure.astro writes for a figure drawn at build: one item per value, then the early-stopping rule; text set as text. */
function legend(doc: Document, comparison: ComparedGroup, options: ComparisonFigureOptions): HTMLElement {
  const ul = doc.createElement("ul");
  ul.className = "figure-legend";
  for (const item of comparisonLegend(comparison, options)) {
    const li = doc.createElement("li");
    const svg = svgElement(doc, "svg", { width: 22, height: 10, "aria-hidden": "true" });
    svg.append(
      svgElement(doc, "line", {
        x1: 0,
        x2: 22,
        y1: 5,
        y2: 5,
        stroke: item.color,
        "stroke-width": 2,
        ...(item.dashed ? { "stroke-dasharray": "4,3" } : {}),
        ...(item.faint ? { "stroke-opacity": "0.35" } : {}),
      }),
    );
    li.append(svg, ` ${item.text}`);
    ul.append(li);
  }
  return ul;
}
