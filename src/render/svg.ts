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
 * A panel's `<svg>` as a page shows it. The download is a standalone file and
 * keeps everything; on a page, where a figure has five to fifty panels, each
 * copy of the same thing is dropped, so a page weighs what its data does:
 * - Plot's `<style>` block and its `plot-…` class (identical in every panel;
 *   the site stylesheet says it once, under `svg.runsite-panel`), and the root's
 *   `fill`, `font-*` and `text-anchor` (ditto), `x`/`y` (its place in the
 *   download, meaningless in a page's grid) and `data-panel` (its box says it);
 * - `aria-hidden` inside it: the panel is `role="img"`, its children are
 *   presentational already;
 * - empty `<text>`s (a log axis's unlabelled ticks, which draw nothing);
 * - float noise in coordinates (`45.59999999999999`, `164.69565217391306`):
 *   numbers with three or more decimals in geometry attributes are rounded to
 *   two. Text (tick labels, `<title>`s) and `data-*` values (the scales the
 *   page's script computes with) are left exactly as they are;
 * - Plot's one element per grid line or tick mark (`<line>`s, `<path
 *   transform="translate(x,y)" d="M0,0L-6,0">`s): one path per group draws the
 *   same segments; tick labels placed by `transform="translate(x,y)"` are
 *   placed by `x` and `y` instead (the same point, fewer bytes); the lines'
 *   points as relative steps (`relativeLine`).
 * Only Plot's own shapes are rewritten: the overlay's rules and dots carry
 * more attributes, match none of these patterns and stay as they are.
 */
export function pagePanelSvg(svg: string): string {
  const rootEnd = svg.indexOf(">") + 1;
  const root = svg
    .slice(0, rootEnd)
    .replace(/ (?:fill|font-family|font-size|text-anchor|x|y|data-panel)="[^"]*"/g, "")
    // The scales as JSON in single quotes: `"` rather than `&quot;` (numbers and scale names hold no `'`).
    .replace(/ data-scales="([^"'&]*(?:&quot;[^"'&]*)*)"/, (_, json: string) => ` data-scales='${json.replaceAll("&quot;", '"')}'`)
    .replace(/ class="([^"]*)"/, (_, names: string) => {
      const kept = names.split(/\s+/).filter((n) => n !== "" && !/^plot-[0-9a-f]+$/.test(n));
      return kept.length === 0 ? "" : ` class="${kept.join(" ")}"`;
    });
  const body = svg
    .slice(rootEnd)
    .replace(/^<style>[^<]*<\/style>/, "")
    .replace(/ aria-hidden="true"/g, "")
    // A log axis's unlabelled ticks: Plot writes an empty <text> for each.
    .replace(/<text [^>]*><\/text>/g, "")
    .replace(/ (d|transform|x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"/g, (attribute: string, name: string, value: string) =>
      /\d\.\d{3}/.test(value) ? ` ${name}="${value.replace(/(\d+)\.(\d{3,})/g, roundDecimal)}"` : attribute,
    );
  return root + compactAxes(body).replace(/ d="(M[-\d.]+,[-\d.]+(?:L[-\d.]+,[-\d.]+)+)"/g, (_, d: string) => ` d="${relativeLine(d)}"`);
}

/**
 * A polyline `M x,y L x,y …` (d3's lines, coordinates already rounded to two
 * decimals) written with relative steps, `M x,y l dx,dy dx,dy …`: shorter by
 * about one character per point. The steps are differences of the rounded
 * points, counted in hundredths, so the drawn points are exactly the same.
 */
export function relativeLine(d: string): string {
  const points = d
    .slice(1)
    .split("L")
    .map((p) => p.split(",").map((v) => Math.round(Number(v) * 100)) as [number, number]);
  const text = (hundredths: number) => String(hundredths / 100);
  const steps = points.slice(1).map(([x, y], i) => {
    const [dx, dy] = [text(x - points[i]![0]), text(y - points[i]![1])];
    return `${dx}${dy.startsWith("-") ? "" : ","}${dy}`;
  });
  const [x0, y0] = points[0]!;
  return `M${text(x0)},${text(y0)}l${steps.reduce((out, step) => `${out}${step.startsWith("-") ? "" : " "}${step}`)}`;
}

const num = String.raw`-?[\d.]+(?:e-?\d+)?`;
const gridLine = new RegExp(`<line x1="(${num})" x2="(${num})" y1="(${num})" y2="(${num})"></line>`, "g");
const tickMark = new RegExp(String.raw`<path transform="translate\((${num}),(${num})\)" d="M0,0L(${num}),(${num})"></path>`, "g");
const gridGroup = new RegExp(`<g([^>]*)>((?:${gridLine.source})+)</g>`, "g");
const tickGroup = new RegExp(`<g([^>]*)>((?:${tickMark.source})+)</g>`, "g");
const placedText = new RegExp(String.raw`<text( y="(${num}em)")? transform="translate\((${num}),(${num})\)">`, "g");

/** Plot's grid lines and tick marks as one path per group, its tick labels placed by x and y (see `pagePanelSvg`). */
function compactAxes(svg: string): string {
  return svg
    .replace(gridGroup, (_, attributes: string, lines: string) => {
      const d = [...lines.matchAll(gridLine)].map(([, x1, x2, y1, y2]) => `M${x1},${y1}${y1 === y2 ? `H${x2}` : x1 === x2 ? `V${y2}` : `L${x2},${y2}`}`).join("");
      return `<g${attributes}><path fill="none" d="${d}"></path></g>`;
    })
    .replace(tickGroup, (_, attributes: string, ticks: string) => {
      const d = [...ticks.matchAll(tickMark)].map(([, x, y, dx, dy]) => `M${x},${y}${dy === "0" ? `h${dx}` : dx === "0" ? `v${dy}` : `l${dx},${dy}`}`).join("");
      return `<g${attributes}><path d="${d}"></path></g>`;
    })
    .replace(placedText, (_, dy: string | undefined, em: string | undefined, x: string, y: string) => `<text x="${x}" y="${y}"${dy === undefined ? "" : ` dy="${em}"`}>`)
    .replace(textGroup, foldCommonPlace);
}

const textGroup = new RegExp(`<g([^>]*?) transform="translate\\((${num}),(${num})\\)"([^>]*)>((?:<text x="${num}" y="${num}"[^>]*>[^<]*</text>)+)</g>`, "g");

/**
 * A group of labels that share their x (the y axis's) or their y (the x
 * axis's): the shared coordinate moves into the group's translation, once.
 */
function foldCommonPlace(group: string, before: string, tx: string, ty: string, after: string, texts: string): string {
  const labels = [...texts.matchAll(/<text x="([^"]*)" y="([^"]*)"([^>]*)>([^<]*)<\/text>/g)].map(([, x, y, rest, text]) => ({ x: x!, y: y!, rest: rest!, text: text! }));
  const sameX = labels.every((l) => l.x === labels[0]!.x);
  const sameY = labels.every((l) => l.y === labels[0]!.y);
  if (!sameX && !sameY) return group;
  const sum = (a: string, b: string) => String(Math.round((Number(a) + Number(b)) * 100) / 100);
  const translate = `translate(${sameX ? sum(tx, labels[0]!.x) : tx},${sameY ? sum(ty, labels[0]!.y) : ty})`;
  const body = labels.map((l) => `<text${sameX ? "" : ` x="${l.x}"`}${sameY ? "" : ` y="${l.y}"`}${l.rest}>${l.text}</text>`).join("");
  return `<g${before} transform="${translate}"${after}>${body}</g>`;
}

/**
 * The panels of one figure on a page, with what every panel draws alike said
 * once: a top-level group or frame whose markup is the same in every panel
 * (the x axis, its label, the frame, when the panels share their x) moves into
 * one hidden `<defs>` and each panel shows it with `<use>`. `<use>` draws it in
 * the panel's own coordinates and colours (`currentColor` inherits through it),
 * so the panels look as before; the page's script still hides and redraws each
 * panel's children on its own. `defs` is empty when nothing is shared.
 */
export function sharePanelParts(panels: string[], idPrefix: string): { panels: string[]; defs: string } {
  if (panels.length < 2) return { panels, defs: "" };
  const partsOf = (svg: string) => svg.match(/<g[^>]*>(?:<(?!\/?g[ >])[^<]*(?:<\/[a-z]+>)?)*<\/g>|<rect [^>]*><\/rect>/g) ?? [];
  const common = [...new Set(partsOf(panels[0]!))].filter((part) => part.length > 60 && !part.includes('class="overlay"') && panels.every((svg) => svg.includes(part)));
  if (common.length === 0) return { panels, defs: "" };
  // Each shared part becomes a placeholder; a run of placeholders found in
  // every panel becomes one group, so a panel has one <use> per run.
  const marked = panels.map((svg) => common.reduce((out, part, i) => out.replace(part, `\u0000${i}\u0001`), svg));
  const runs = [...new Set(marked[0]!.match(/(?:\u0000\d+\u0001)+/g))].flatMap((run) => (marked.every((svg) => svg.includes(run)) ? [run] : (run.match(/\u0000\d+\u0001/g) ?? [])));
  const ids = new Map(runs.map((run, i) => [run, `${idPrefix}${i}`]));
  const use = (run: string) => `<use href="#${ids.get(run)!}"></use>`;
  const unmark = (run: string) => run.replace(/\u0000(\d+)\u0001/g, (_, i: string) => common[Number(i)]!);
  return {
    panels: marked.map((svg) => runs.reduce((out, run) => out.replaceAll(run, use(run)), svg)),
    defs: `<svg class="shared-parts" width="0" height="0" aria-hidden="true"><defs>${runs.map((run) => `<g id="${ids.get(run)!}">${unmark(run)}</g>`).join("")}</defs></svg>`,
  };
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
