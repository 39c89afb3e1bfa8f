import * as Plot from "@observablehq/plot";
import { JSDOM } from "jsdom";
import type { FigureSpec, Overlay } from "../core/figures.ts";

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
  spec.panels.forEach((panel, i) => {
    const plot = Plot.plot({ ...panel.plot, width: panel.width, height: panel.height, document: plotDocument() });
    plot.setAttribute("x", String(panel.x));
    plot.setAttribute("y", String(panel.y));
    plot.setAttribute("class", `${plot.getAttribute("class") ?? ""} runsite-panel`);
    plot.setAttribute("data-metric", panel.metric);
    plot.setAttribute("data-panel", String(i));
    // The scales, so the page's script can turn pixels into values and back (src/client/figure.ts).
    plot.setAttribute("data-scales", JSON.stringify(panelScales(plot)));
    parts.push(`<text class="panel-title" x="${panel.x + panel.width / 2}" y="${panel.y - 6}" text-anchor="middle">${escapeXml(panel.title)}</text>`);
    parts.push(withOverlay(trimPaths(plot.outerHTML), plot, panel.overlay));
  });
  const label = escapeXml(spec.label);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="runsite-figure" viewBox="0 0 ${spec.width} ${spec.height}" width="${spec.width}" height="${spec.height}" role="img" aria-label="${label}" font-family="system-ui, sans-serif" font-size="12" fill="currentColor">` +
    `<title>${label}</title>` +
    `<style>.panel-title{font-weight:600;font-size:13px}</style>` +
    parts.join("") +
    `</svg>`
  );
}

/** A panel's x and y scales as the page's script reads them: `{x: [type, d0, d1, r0, r1], y: …}`. */
export type PanelScales = Record<"x" | "y", [type: string, d0: number, d1: number, r0: number, r1: number]>;

function panelScales(plot: ReturnType<typeof Plot.plot>): PanelScales {
  const scale = (name: "x" | "y"): PanelScales["x"] => {
    const s = plot.scale(name)!;
    const [d0, d1] = s.domain as number[];
    const [r0, r1] = s.range as number[];
    return [String(s.type), d0!, d1!, round(r0!), round(r1!)];
  };
  return { x: scale("x"), y: scale("y") };
}

/** One legend item of a rendered figure, as `splitFigure` finds it (text and colour escaped). */
export interface LegendItemMarkup {
  color: string;
  dashed: boolean;
  faint: boolean;
  text: string;
}

/** One panel of a rendered figure, as `splitFigure` finds it. */
export interface FigurePanelMarkup {
  /** The panel's title, as escaped text. */
  title: string;
  metric: string;
  /** The panel's own `<svg>`. */
  svg: string;
}

/**
 * Splits a figure written by `renderFigure` into its legend (the items'
 * markup) and its panels, so a page can lay the panels out in a responsive
 * grid (one per row on a phone) while the download stays one SVG.
 */
export function splitFigure(svg: string): { legend: LegendItemMarkup[]; panels: FigurePanelMarkup[] } {
  const legend = [...svg.matchAll(/<g class="legend-item"><line [^>]*?stroke="([^"]*)"([^>]*)\/><text[^>]*>([^<]*)<\/text><\/g>/g)].map((m) => ({
    color: m[1]!,
    dashed: m[2]!.includes("stroke-dasharray"),
    faint: m[2]!.includes("stroke-opacity"),
    text: m[3]!,
  }));
  const panels: FigurePanelMarkup[] = [];
  // Panels do not nest <svg>: each runs from its title to the next </svg>.
  for (const m of svg.matchAll(/<text class="panel-title"[^>]*>([^<]*)<\/text>(<svg [\s\S]*?<\/svg>)/g)) {
    panels.push({ title: m[1]!, metric: /data-metric="([^"]*)"/.exec(m[2]!)?.[1] ?? "", svg: m[2]! });
  }
  return { legend, panels };
}

/**
 * The plot's markup with the overlay inserted: rules right after the frame
 * (under the lines, where `Plot.ruleX` listed before them would draw), dots
 * before the closing tag (over everything). Each layer is the markup
 * `Plot.ruleX` / `Plot.dot` would write, placed with the plot's own scales.
 */
function withOverlay(html: string, plot: ReturnType<typeof Plot.plot>, overlay: Overlay): string {
  const x = plot.scale("x")!;
  const y = plot.scale("y")!;
  const color = plot.scale("color")!;
  const paint = (z: string | null) => (z === null ? "currentColor" : escapeXml(String(color.apply(z))));
  const title = (text: string | undefined) => (text === undefined ? "" : `<title>${escapeXml(text)}</title>`);
  const [top, bottom] = [Math.min(...(y.range as number[])), Math.max(...(y.range as number[]))];
  const rules = overlay.rules
    .filter((layer) => layer.data.length > 0)
    .map((layer) => {
      const lines = layer.data.map((d) => {
        const px = x.apply(d.x) as number;
        return Number.isFinite(px) ? `<line x1="${round(px)}" x2="${round(px)}" y1="${top}" y2="${bottom}" stroke="${paint(d.z)}" data-x="${d.x}">${title(d.title)}</line>` : "";
      });
      const opacity = layer.strokeOpacity === undefined ? "" : ` stroke-opacity="${layer.strokeOpacity}"`;
      return `<g class="overlay" aria-label="rule" stroke-width="${layer.strokeWidth}" stroke-dasharray="${layer.strokeDasharray}"${opacity}>${lines.join("")}</g>`;
    });
  const dots = overlay.dots
    .filter((layer) => layer.data.length > 0)
    .map((layer) => {
      const circles = layer.data.map((d) => {
        const [cx, cy] = [x.apply(d.x) as number, y.apply(d.y) as number];
        if (!Number.isFinite(cx) || !Number.isFinite(cy)) return "";
        return `<circle cx="${round(cx)}" cy="${round(cy)}" r="${layer.r}" ${layer.paint}="${paint(d.z)}" data-x="${d.x}" data-y="${d.y}">${title(d.title)}</circle>`;
      });
      const group = layer.paint === "stroke" ? ` fill="none" stroke-width="${layer.strokeWidth ?? 1}"` : "";
      return `<g class="overlay" aria-label="dot"${group}>${circles.join("")}</g>`;
    });
  // Plot writes the frame as <rect aria-label="frame" …></rect>.
  const frame = html.indexOf('aria-label="frame"');
  const afterFrame = frame < 0 ? html.indexOf(">") + 1 : html.indexOf("</rect>", frame) + "</rect>".length;
  const end = html.lastIndexOf("</svg>");
  return `${html.slice(0, afterFrame)}${rules.join("")}${html.slice(afterFrame, end)}${dots.join("")}</svg>`;
}

/**
 * Long paths' coordinates rounded to two decimals. d3-shape writes three
 * (`193.365`); for a long run's M4-reduced lines (4 points per pixel column,
 * x steps thousandths of a pixel apart) two decimals and no trailing zeros
 * take a quarter off the figure (170 → 128 KB), and a hundredth of a pixel is
 * finer than any screen draws. Short paths are left as they are: rewriting
 * them cost ~3 ms per comparison figure for a few bytes.
 */
function trimPaths(svg: string): string {
  return svg.replace(/ d="([^"]{2000,})"/g, (_, d: string) => ` d="${d.replace(/(\d+)\.(\d{3,})/g, roundDecimal)}"`);
}

/**
 * A number with three or more decimals rounded to two, trailing zeros dropped
 * (`56.0025` → `56`: a long run's x steps are thousandths of a pixel apart).
 * Only numbers that round up are parsed; parsing every number cost ~2 ms per
 * comparison figure.
 */
function roundDecimal(_: string, whole: string, decimals: string): string {
  if (decimals.charCodeAt(2) >= 53 /* "5" */) return String(Math.round(Number(`${whole}.${decimals}`) * 100) / 100);
  const kept = decimals.slice(0, 2).replace(/0+$/, "");
  return kept === "" ? whole : `${whole}.${kept}`;
}

/** Pixels to two decimals: finer than any screen, shorter than a float's 17 digits. */
function round(px: number): number {
  return Math.round(px * 100) / 100;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`) : text;
}
