import * as Plot from "@observablehq/plot";
import { JSDOM } from "jsdom";
import type { FigureSpec } from "../core/figures.ts";

let document: Document | undefined;

/** The one jsdom document all figures are drawn in (creating one costs ~20 ms). */
function plotDocument(): Document {
  return (document ??= new JSDOM("").window.document);
}

/**
 * Renders a figure spec to one standalone SVG string: a legend row, then each
 * panel drawn by `Plot.plot` as a nested `<svg>` under its title. The result
 * is inserted into pages as is and offered as a download, so it carries its
 * own accessible name (`role="img"`, `<title>`, `aria-label`).
 */
export function renderFigure(spec: FigureSpec): string {
  const parts: string[] = [];
  let x = 8;
  for (const item of spec.legend) {
    const dash = (item.dashed ? ' stroke-dasharray="4,3"' : "") + (item.faint ? ' stroke-opacity="0.35"' : "");
    parts.push(
      `<g class="legend-item"><line x1="${x}" x2="${x + 22}" y1="12" y2="12" stroke="${escapeXml(item.color)}" stroke-width="2"${dash}/>` +
        `<text x="${x + 28}" y="16">${escapeXml(item.text)}</text></g>`,
    );
    x += 40 + item.text.length * 7;
  }
  for (const panel of spec.panels) {
    const plot = Plot.plot({ ...panel.plot, width: panel.width, height: panel.height, document: plotDocument() });
    plot.setAttribute("x", String(panel.x));
    plot.setAttribute("y", String(panel.y));
    plot.setAttribute("class", `${plot.getAttribute("class") ?? ""} runsite-panel`);
    plot.setAttribute("data-metric", panel.metric);
    parts.push(`<text class="panel-title" x="${panel.x + panel.width / 2}" y="${panel.y - 6}" text-anchor="middle">${escapeXml(panel.title)}</text>`);
    parts.push(plot.outerHTML);
  }
  const label = escapeXml(spec.label);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="runsite-figure" viewBox="0 0 ${spec.width} ${spec.height}" width="${spec.width}" height="${spec.height}" role="img" aria-label="${label}" font-family="system-ui, sans-serif" font-size="12" fill="currentColor">` +
    `<title>${label}</title>` +
    `<style>.panel-title{font-weight:600;font-size:13px}</style>` +
    parts.join("") +
    `</svg>`
  );
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
