/**
 * The whole figure SVG again, from an experiment page's markup: the page
 * shows `renderFigure`'s figure split into a legend and one `<svg>` per panel
 * (see `splitFigure`, `PanelFigure.astro`), and the figure downloads are made
 * from it in the browser, so the site stores the figure once. `joinFigure`
 * lays the parts out as `renderFigure` did; given the parts `splitFigure`
 * finds, it writes the same SVG (a test holds it to that). A page's panels
 * are smaller than the figure's (`pagePanelSvg`, `sharePanelParts`): from
 * them it writes a standalone SVG that draws the same picture.
 */
import { panelPlace } from "./figureLayout.ts";

/** One legend item: colour and text as escaped markup. */
export interface FigureLegendPart {
  color: string;
  dashed: boolean;
  faint: boolean;
  text: string;
}

/**
 * The parts of a figure: its accessible name (plain text), legend and panels
 * (title as escaped markup, the panel's own `<svg>`), and what a page's panels
 * share (`sharePanelParts`: the `<g id=…>` groups their `<use>`s show).
 */
export interface FigureParts {
  label: string;
  legend: FigureLegendPart[];
  panels: { title: string; svg: string }[];
  defs?: string;
}

/**
 * What `pagePanelSvg` takes off each panel's root because the site's
 * stylesheet says it once (Layout.astro, `svg.runsite-panel`); a standalone
 * file says it again.
 */
const panelRootAttributes = 'fill="currentColor" font-family="system-ui, sans-serif" font-size="10" text-anchor="middle"';
const panelStyle = ".runsite-panel text,.runsite-panel tspan{white-space:pre}";

/**
 * The figure as one standalone SVG, laid out as `renderFigure` lays it out:
 * the legend row, then each panel's title centred above its `<svg>` (placed by
 * its own `x`, `y`); the view box spans the panels.
 */
export function joinFigure(parts: FigureParts): string {
  const out: string[] = [];
  let x = 8;
  for (const item of parts.legend) {
    const dash = (item.dashed ? ' stroke-dasharray="4,3"' : "") + (item.faint ? ' stroke-opacity="0.35"' : "");
    out.push(
      `<g class="legend-item"><line x1="${x}" x2="${x + 22}" y1="12" y2="12" stroke="${item.color}" stroke-width="2"${dash}/><text x="${x + 28}" y="16">${item.text}</text></g>`,
    );
    x += 40 + unescapeMarkup(item.text).length * 7;
  }
  let width = 0;
  let height = 0;
  let pagePanels = false;
  for (const [i, { title, svg }] of parts.panels.entries()) {
    // A page's panel has lost its place and Plot's root attributes (`pagePanelSvg`): the history figure's grid gives them back.
    const placed = /^<svg\b[^>]*\sx="/.test(svg);
    pagePanels ||= !placed;
    const { x: gx, y: gy } = panelPlace(i, parts.panels.length);
    const panel = { title, svg: placed ? svg : svg.replace(/^<svg /, `<svg x="${gx}" y="${gy}" ${panelRootAttributes} `) };
    const open = /^<svg\b[^>]*>/.exec(panel.svg)?.[0] ?? "";
    const attribute = (name: string) => Number(new RegExp(`\\s${name}="([^"]*)"`).exec(open)?.[1] ?? 0);
    const [px, py, pw, ph] = [attribute("x"), attribute("y"), attribute("width"), attribute("height")];
    width = Math.max(width, px + pw);
    height = Math.max(height, py + ph);
    out.push(`<text class="panel-title" x="${px + pw / 2}" y="${py - 6}" text-anchor="middle">${panel.title}</text>`, panel.svg);
  }
  const label = escapeMarkup(parts.label);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="runsite-figure" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${label}" font-family="system-ui, sans-serif" font-size="12" fill="currentColor">` +
    `<title>${label}</title>` +
    `<style>.panel-title{font-weight:600;font-size:13px}${pagePanels ? panelStyle : ""}</style>` +
    (parts.defs === undefined || parts.defs === "" ? "" : `<defs>${parts.defs}</defs>`) +
    out.join("") +
    `</svg>`
  );
}

/**
 * The history figure's parts as an experiment page writes them
 * (`PanelFigure.astro`): the figure's name (`Training history of <file>`,
 * completed with the panel titles as `historyFigure` names it), the legend
 * items and each panel's `<svg>` without the page's own naming
 * (`role`, `aria-labelledby`). `null` when the page has no figure.
 */
export function figurePartsFromPage(html: string): FigureParts | null {
  const start = html.indexOf('<figure class="panels-figure history"');
  if (start < 0) return null;
  const figure = html.slice(start, html.indexOf("</figure>", start));
  const name = unescapeMarkup(/\saria-label="([^"]*)"/.exec(figure.slice(0, figure.indexOf(">")))?.[1] ?? "");
  const legend = [...figure.matchAll(/<li><svg width="22" height="10" aria-hidden="true"><line ([^>]*)><\/line><\/svg> ([\s\S]*?)<\/li>/g)].map((m) => ({
    color: unescapeMarkup(/\sstroke="([^"]*)"/.exec(` ${m[1]!}`)?.[1] ?? "currentColor"),
    dashed: m[1]!.includes("stroke-dasharray"),
    faint: m[1]!.includes("stroke-opacity"),
    text: m[2]!,
  }));
  const panels = [...figure.matchAll(/<p class="panel-title" id="[^"]*">([\s\S]*?)<\/p><div class="panel-plot">(<svg [\s\S]*?<\/svg>)<\/div>/g)].map((m) => ({
    title: m[1]!,
    svg: m[2]!.replace(/^<svg role="img" aria-labelledby="[^"]*" /, "<svg "),
  }));
  if (panels.length === 0) return null;
  const defs = /<svg class="shared-parts"[^>]*><defs>([\s\S]*?)<\/defs><\/svg>/.exec(figure)?.[1] ?? "";
  return { label: `${name}: ${panels.map((p) => unescapeMarkup(p.title)).join(", ")}`, legend, panels, defs };
}

/** Escapes text for XML content and attribute values, as `renderFigure` does. */
function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The text of escaped markup: numeric references and the five named ones pages write. */
function unescapeMarkup(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, ref: string) =>
    ref[0] === "#" ? String.fromCodePoint(ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1))) : named[ref.toLowerCase()]!,
  );
}
