import type { FigureData, PanelData } from "../core/figureData.ts";
import {
  extentWithin,
  formatReadout,
  formatTick,
  formatX,
  logTicks,
  nearestIndex,
  nice,
  parseSmoothing,
  scale,
  scaleOf,
  smooth,
  ticks,
  type Scale,
  type ScaleSpec,
} from "./figureMath.ts";
import { enhanceOnce } from "./enhanceOnce.ts";
import { figureDataOf } from "./figureSource.ts";

/**
 * Progressive enhancement of the build-time figures (PanelFigure.astro):
 * a crosshair with a readout of every series at the nearest epoch (pointer,
 * touch or keyboard), drag-to-zoom on x with y fitted to what is visible, a
 * log/linear switch per panel, TensorBoard's smoothing (kept in the URL as
 * `?smooth=`), and a filter over the panels. Values come from the figure's
 * data (`figureDataOf`: its embedded JSON or the run's history.json), pixels from each panel's
 * `data-scales`: one readout element per panel, not a node per point. The
 * static SVG is redrawn only when the view differs from the build's; text is
 * set through `textContent` only.
 */
export function enhanceFigures(root: Document): void {
  // Once per figure: a page of comparisons draws its figures one by one and enhances each as it comes.
  for (const figure of enhanceOnce<HTMLElement>(root, "figure[data-figure]", "enhanced")) {
    const i = figureCount++;
    void figureDataOf(figure).then((data) => {
      if (data !== null) enhanceFigure(figure, data, i);
    });
  }
}

/** Figures enhanced on this page so far: each one's element ids are its own. */
let figureCount = 0;

const svgNs = "http://www.w3.org/2000/svg";

interface Panel {
  index: number;
  box: HTMLElement;
  plot: HTMLElement;
  svg: SVGSVGElement;
  data: PanelData;
  xs: number[][];
  /** Every x of the panel's series, ascending, once. */
  allX: number[];
  initial: { x: Scale; y: Scale };
  view: { x: Scale; y: Scale };
  zoom: [number, number] | null;
  log: boolean;
  live: SVGGElement | null;
  cross: SVGGElement;
  readout: HTMLElement;
  at: number;
  logButton: HTMLButtonElement | null;
}

function enhanceFigure(figure: HTMLElement, data: FigureData, figureIndex: number): void {
  const doc = figure.ownerDocument;
  let weight = parseSmoothing(location.search);
  let fullY = false;
  const panels: Panel[] = [];
  for (const box of figure.querySelectorAll<HTMLElement>(".panel[data-panel]")) {
    const index = Number(box.dataset["panel"]);
    const svg = box.querySelector<SVGSVGElement>("svg.runsite-panel");
    const spec = data.panels[index];
    if (svg === null || spec === undefined) continue;
    const scales = JSON.parse(svg.dataset["scales"] ?? "null") as Record<"x" | "y", ScaleSpec> | null;
    if (scales === null) continue;
    panels.push(setUpPanel(box, svg, spec, index, scales));
  }
  if (panels.length === 0) return;

  // The tools: smoothing, y range, reset, and a filter when there are many panels.
  const tools = figure.querySelector<HTMLElement>("[data-figure-tools]") ?? figure;
  const slider = el(doc, "input", { type: "range", min: "0", max: "0.99", step: "0.01", name: "smooth" }) as HTMLInputElement;
  slider.value = String(weight);
  const shown = el(doc, "output", {});
  shown.textContent = weight.toFixed(2);
  const smoothLabel = el(doc, "label", { class: "smoothing" });
  smoothLabel.append(text(doc, "Smoothing "), slider, shown);
  const fit = el(doc, "input", { type: "checkbox", name: "fully" }) as HTMLInputElement;
  const fitLabel = el(doc, "label", {});
  fitLabel.append(fit, text(doc, " full y range"));
  const reset = el(doc, "button", { type: "button" }) as HTMLButtonElement;
  reset.textContent = "Reset zoom";
  const help = el(doc, "span", { class: "help" });
  help.textContent = "Drag across a panel to zoom, double-click to reset; on a focused panel ← → move, + − zoom, 0 resets.";
  tools.append(smoothLabel, fitLabel, reset);
  if (panels.length > 12) tools.append(panelFilter(doc, figure, panels));
  tools.append(help);

  slider.addEventListener("input", () => {
    weight = Number(slider.value);
    shown.textContent = weight.toFixed(2);
    const params = new URLSearchParams(location.search);
    if (weight > 0) params.set("smooth", String(weight));
    else params.delete("smooth");
    const query = params.toString();
    history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
    for (const p of panels) redraw(p);
  });
  fit.addEventListener("change", () => {
    fullY = fit.checked;
    for (const p of panels) redraw(p);
  });
  reset.addEventListener("click", () => {
    for (const p of panels) {
      p.zoom = null;
      redraw(p);
    }
  });
  for (const p of panels) redraw(p);

  function setUpPanel(box: HTMLElement, svg: SVGSVGElement, spec: PanelData, index: number, scales: Record<"x" | "y", ScaleSpec>): Panel {
    const xs = spec.series.map((s) => s.x ?? s.y.map((_, i) => s.x0! + i * s.dx!));
    const allX = [...new Set(xs.flat())].sort((a, b) => a - b);
    const initial = { x: scaleOf(scales.x), y: scaleOf(scales.y) };
    const plot = box.querySelector<HTMLElement>(".panel-plot") ?? box;
    const readout = el(doc, "div", { role: "tooltip", class: "readout", id: `readout-${figureIndex}-${index}` });
    readout.hidden = true;
    box.append(readout);
    plot.tabIndex = 0;
    plot.setAttribute("role", "group");
    plot.setAttribute("aria-label", `${spec.title}: arrow keys read the values by ${spec.axis}`);
    plot.setAttribute("aria-describedby", readout.id);
    const cross = doc.createElementNS(svgNs, "g");
    cross.setAttribute("class", "crosshair");
    cross.setAttribute("pointer-events", "none");
    svg.append(cross);
    const p: Panel = { index, box, plot, svg, data: spec, xs, allX, initial, view: initial, zoom: null, log: initial.y.log, live: null, cross, readout, at: -1, logButton: null };
    // The log switch, where every value is positive (a log axis cannot show 0).
    if (spec.series.some((s) => s.y.some((v) => v !== null && v > 0)) && spec.series.every((s) => s.y.every((v) => v === null || v > 0))) {
      const button = el(doc, "button", { type: "button", class: "scale-switch" }) as HTMLButtonElement;
      button.setAttribute("aria-pressed", String(p.log));
      button.textContent = "log y";
      button.title = `${spec.title}: logarithmic y axis`;
      button.addEventListener("click", () => {
        p.log = !p.log;
        button.setAttribute("aria-pressed", String(p.log));
        redraw(p);
      });
      box.querySelector(".panel-title")?.append(button);
      p.logButton = button;
    }
    let drag: { from: number; to: number } | null = null;
    const toSvg = (event: PointerEvent | MouseEvent) => {
      const matrix = svg.getScreenCTM();
      if (matrix === null) return null;
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
      return point.x;
    };
    const frame = () => [Math.min(...p.initial.x.range), Math.max(...p.initial.x.range)] as const;
    const clampPx = (px: number) => Math.min(frame()[1], Math.max(frame()[0], px));
    svg.style.touchAction = "pan-y";
    svg.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      const px = toSvg(event);
      if (px === null) return;
      drag = { from: clampPx(px), to: clampPx(px) };
      svg.setPointerCapture(event.pointerId);
      // A tap on a touch screen has no hover: it shows the readout where it lands.
      showAt(p, nearestIndex(p.allX, p.view.x.invert(clampPx(px))));
    });
    svg.addEventListener("pointermove", (event) => {
      const px = toSvg(event);
      if (px === null) return;
      if (drag !== null) {
        drag.to = clampPx(px);
        drawSelection(p, drag.from, drag.to);
      }
      showAt(p, nearestIndex(p.allX, p.view.x.invert(clampPx(px))));
    });
    svg.addEventListener("pointerup", () => {
      if (drag !== null && Math.abs(drag.to - drag.from) > 4) {
        const [a, b] = [p.view.x.invert(drag.from), p.view.x.invert(drag.to)].sort((u, v) => u - v) as [number, number];
        p.zoom = [a, b];
        redraw(p);
      }
      drag = null;
      drawSelection(p, 0, 0);
    });
    svg.addEventListener("pointerleave", () => {
      if (drag === null && doc.activeElement !== plot) hide(p);
    });
    svg.addEventListener("dblclick", () => {
      // A double-click selects text, and a drag on a selection would drag it instead of zooming.
      doc.getSelection()?.removeAllRanges();
      p.zoom = null;
      redraw(p);
    });
    plot.addEventListener("focus", () => showAt(p, p.at >= 0 ? p.at : visibleIndex(p, "last")));
    plot.addEventListener("blur", () => hide(p));
    plot.addEventListener("keydown", (event) => {
      const step = event.shiftKey ? 10 : 1;
      const key = event.key;
      if (key === "ArrowLeft" || key === "ArrowRight") showAt(p, Math.max(0, Math.min(p.allX.length - 1, (p.at < 0 ? 0 : p.at) + (key === "ArrowLeft" ? -step : step))));
      else if (key === "Home") showAt(p, visibleIndex(p, "first"));
      else if (key === "End") showAt(p, visibleIndex(p, "last"));
      else if (key === "+" || key === "=" || key === "-") {
        const [d0, d1] = p.view.x.domain;
        const centre = p.at >= 0 ? p.allX[p.at]! : (d0 + d1) / 2;
        const half = ((d1 - d0) / 2) * (key === "-" ? 2 : 0.5);
        const [full0, full1] = p.initial.x.domain;
        const next: [number, number] = [Math.max(full0, centre - half), Math.min(full1, centre + half)];
        p.zoom = next[0] <= full0 && next[1] >= full1 ? null : next;
        redraw(p);
        showAt(p, p.at);
      } else if (key === "0") {
        p.zoom = null;
        redraw(p);
      } else if (key === "Escape") hide(p);
      else return;
      event.preventDefault();
    });
    return p;
  }

  function visibleIndex(p: Panel, end: "first" | "last"): number {
    const [d0, d1] = p.view.x.domain;
    const inside = p.allX.map((x, i) => [x, i] as const).filter(([x]) => x >= d0 && x <= d1);
    return (end === "first" ? inside[0]?.[1] : inside.at(-1)?.[1]) ?? 0;
  }

  /** The rule at `allX[i]`, a marker on each series, and the readout with every series' value. */
  function showAt(p: Panel, i: number): void {
    if (i < 0 || i >= p.allX.length) return;
    p.at = i;
    const x = p.allX[i]!;
    const px = p.view.x.apply(x);
    const [top, bottom] = [Math.min(...p.initial.y.range), Math.max(...p.initial.y.range)];
    p.cross.replaceChildren();
    if (px < Math.min(...p.initial.x.range) - 0.5 || px > Math.max(...p.initial.x.range) + 0.5) {
      p.readout.hidden = true;
      return;
    }
    p.cross.append(svgEl(doc, "line", { x1: px, x2: px, y1: top, y2: bottom, stroke: "currentColor", "stroke-opacity": 0.6, class: "rule" }));
    const rows: HTMLElement[] = [];
    p.data.series.forEach((s, k) => {
      const j = p.xs[k]!.indexOf(x);
      if (j < 0) return;
      const raw = s.y[j] ?? null;
      const smoothed = weight > 0 ? (smooth(s.y, weight)[j] ?? null) : raw;
      if (smoothed !== null) {
        const py = p.view.y.apply(smoothed);
        if (Number.isFinite(py) && py >= top - 0.5 && py <= bottom + 0.5)
          p.cross.append(svgEl(doc, "circle", { cx: px, cy: py, r: 3, fill: s.color, stroke: "var(--bg, white)", "stroke-width": 1 }));
      }
      const row = el(doc, "div", { class: "row" });
      const swatch = el(doc, "span", { class: "swatch" });
      swatch.style.background = s.color;
      if (s.faint) swatch.style.opacity = "0.4";
      const name = el(doc, "span", { class: "name" });
      name.textContent = s.name;
      const value = el(doc, "span", { class: "value" });
      value.textContent = weight > 0 && raw !== null ? `${formatReadout(smoothed)} (raw ${formatReadout(raw)})` : formatReadout(raw);
      if (s.reduced) value.textContent = `≈ ${value.textContent}`;
      row.append(swatch, name, value);
      rows.push(row);
    });
    const head = el(doc, "div", { class: "x" });
    head.textContent = formatX(x, p.data.axis, data.kerasEpochs);
    p.readout.replaceChildren(head, ...rows);
    p.readout.hidden = false;
    // Beside the rule, on the side with room: svg units to CSS pixels.
    const box = p.svg.getBoundingClientRect();
    const host = p.box.getBoundingClientRect();
    const width = p.svg.viewBox.baseVal?.width || box.width;
    const cssX = box.left - host.left + (px * box.width) / width;
    const left = cssX > host.width / 2;
    p.readout.style.left = left ? "" : `${cssX + 10}px`;
    p.readout.style.right = left ? `${host.width - cssX + 10}px` : "";
    p.readout.style.top = `${box.top - host.top + 8}px`;
  }

  function hide(p: Panel): void {
    p.cross.replaceChildren();
    p.readout.hidden = true;
  }

  function drawSelection(p: Panel, from: number, to: number): void {
    p.svg.querySelector("rect.selection")?.remove();
    if (Math.abs(to - from) < 1) return;
    const [top, bottom] = [Math.min(...p.initial.y.range), Math.max(...p.initial.y.range)];
    p.svg.append(
      svgEl(doc, "rect", {
        class: "selection",
        x: Math.min(from, to),
        width: Math.abs(to - from),
        y: top,
        height: bottom - top,
        fill: "currentColor",
        "fill-opacity": 0.1,
        "pointer-events": "none",
      }),
    );
  }

  /** Draws the panel for the current view, or restores the build's drawing when the view is the build's. */
  function redraw(p: Panel): void {
    const asBuilt = p.zoom === null && weight === 0 && p.log === p.initial.y.log;
    p.live?.remove();
    p.live = null;
    const overlays = [...p.svg.querySelectorAll<SVGElement>("g.overlay > *")];
    for (const child of p.svg.children) {
      if (child instanceof SVGStyleElement || child === p.cross || child.classList.contains("overlay")) continue;
      (child as SVGElement).style.display = asBuilt ? "" : "none";
    }
    if (asBuilt) {
      p.view = p.initial;
      for (const o of overlays) placeOverlay(o, p.view);
      if (p.at >= 0 && !p.readout.hidden) showAt(p, p.at);
      return;
    }
    const xDomain = p.zoom ?? p.initial.x.domain;
    const x = scale(false, xDomain, p.initial.x.range);
    const lines = p.data.series.map((s) => ({ raw: s.y, smoothed: weight > 0 ? smooth(s.y, weight) : s.y }));
    const log = p.log && lines.some((l) => l.raw.some((v) => v !== null && v > 0));
    const [from, to] = fullY ? p.initial.x.domain : xDomain;
    let y0 = Infinity;
    let y1 = -Infinity;
    lines.forEach((l, k) => {
      for (const ys of [l.raw, l.smoothed]) {
        const e = extentWithin(p.xs[k]!, ys, from, to, log);
        if (e !== null) [y0, y1] = [Math.min(y0, e[0]), Math.max(y1, e[1])];
      }
    });
    if (!(y0 <= y1)) [y0, y1] = p.initial.y.domain;
    const yDomain: [number, number] = log ? [y0 === y1 ? y0 / 2 : y0, y0 === y1 ? y1 * 2 : y1] : nice(y0, y1);
    const y = scale(log, yDomain, p.initial.y.range);
    p.view = { x, y };
    const g = doc.createElementNS(svgNs, "g") as SVGGElement;
    g.setAttribute("class", "live");
    const [left, right] = [Math.min(...x.range), Math.max(...x.range)];
    const [top, bottom] = [Math.min(...y.range), Math.max(...y.range)];
    const clip = `clip-${figureIndex}-${p.index}`;
    const defs = svgEl(doc, "defs", {});
    const clipPath = svgEl(doc, "clipPath", { id: clip });
    clipPath.append(svgEl(doc, "rect", { x: left, y: top, width: right - left, height: bottom - top }));
    defs.append(clipPath);
    g.append(defs);
    const axis = svgEl(doc, "g", { "font-size": 10, fill: "currentColor", "aria-hidden": "true" });
    for (const t of log ? logTicks(yDomain[0], yDomain[1]) : ticks(yDomain[0], yDomain[1], 5)) {
      const py = y.apply(t);
      axis.append(svgEl(doc, "line", { x1: left, x2: right, y1: py, y2: py, stroke: "currentColor", "stroke-opacity": 0.1 }));
      axis.append(label(doc, formatTick(t), { x: left - 6, y: py, "text-anchor": "end", dy: "0.32em", class: "y-tick" }));
    }
    for (const t of ticks(xDomain[0], xDomain[1], Math.max(2, Math.round((right - left) / 70)))) {
      const px = x.apply(t);
      axis.append(svgEl(doc, "line", { x1: px, x2: px, y1: bottom, y2: bottom + 6, stroke: "currentColor" }));
      axis.append(label(doc, formatTick(t), { x: px, y: bottom + 9, "text-anchor": "middle", dy: "0.71em", class: "x-tick" }));
    }
    axis.append(label(doc, `${p.data.axis} →`, { x: right, y: bottom + 30, "text-anchor": "end" }));
    axis.append(svgEl(doc, "rect", { x: left, y: top, width: right - left, height: bottom - top, fill: "none", stroke: "currentColor", "stroke-opacity": 0.2 }));
    g.append(axis);
    const paths = svgEl(doc, "g", { "clip-path": `url(#${clip})`, fill: "none", "stroke-linejoin": "round", "stroke-linecap": "round" });
    p.data.series.forEach((s, k) => {
      const faint = s.faint ? 0.35 : 1;
      if (weight > 0)
        paths.append(svgEl(doc, "path", { d: pathOf(p.xs[k]!, lines[k]!.raw, x, y), stroke: s.color, "stroke-width": 1, "stroke-opacity": 0.25 * faint, class: "raw" }));
      paths.append(
        svgEl(doc, "path", {
          d: pathOf(p.xs[k]!, lines[k]!.smoothed, x, y),
          stroke: s.color,
          "stroke-width": s.faint ? 1 : 1.6,
          "stroke-opacity": faint,
          class: weight > 0 ? "smoothed" : "line",
        }),
      );
    });
    g.append(paths);
    p.svg.insertBefore(g, p.svg.querySelector("g.overlay") ?? p.cross);
    p.live = g;
    for (const o of overlays) placeOverlay(o, p.view);
    if (p.at >= 0 && !p.readout.hidden) showAt(p, p.at);
  }
}

/** Moves an overlay rule or ring (with its values in `data-x`/`data-y`) to the view; out of view, hidden. */
function placeOverlay(o: SVGElement, view: { x: Scale; y: Scale }): void {
  const x = Number(o.dataset["x"]);
  const px = view.x.apply(x);
  const inX = px >= Math.min(...view.x.range) - 0.5 && px <= Math.max(...view.x.range) + 0.5;
  if (o.tagName === "line") {
    o.setAttribute("x1", String(px));
    o.setAttribute("x2", String(px));
    o.style.display = inX ? "" : "none";
  } else {
    const py = view.y.apply(Number(o.dataset["y"]));
    o.setAttribute("cx", String(px));
    o.setAttribute("cy", String(py));
    const inY = Number.isFinite(py) && py >= Math.min(...view.y.range) - 0.5 && py <= Math.max(...view.y.range) + 0.5;
    o.style.display = inX && inY ? "" : "none";
  }
}

/** An SVG path through the finite points, broken where a value is missing. */
function pathOf(xs: readonly number[], ys: readonly (number | null)[], x: Scale, y: Scale): string {
  let d = "";
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const v = ys[i];
    const py = v === null || v === undefined ? NaN : y.apply(v);
    if (!Number.isFinite(py)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${Math.round(x.apply(xs[i]!) * 100) / 100},${Math.round(py * 100) / 100}`;
    pen = true;
  }
  return d || "M0,0";
}

/** The panel filter: hides panels whose title and metric lack the text, and opens groups with matches. */
function panelFilter(doc: Document, figure: HTMLElement, panels: Panel[]): HTMLElement {
  const input = el(doc, "input", { type: "search", name: "panels", placeholder: "metric or output" }) as HTMLInputElement;
  const label = el(doc, "label", { class: "panel-filter" });
  label.append(text(doc, "Filter panels "), input);
  const groups = [...figure.querySelectorAll<HTMLDetailsElement>("details.panel-group")];
  const wasOpen = groups.map((g) => g.open);
  input.addEventListener("input", () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const p of panels) p.box.hidden = !words.every((w) => `${p.data.title} ${p.data.metric}`.toLowerCase().includes(w));
    groups.forEach((g, i) => {
      const matches = [...g.querySelectorAll<HTMLElement>(".panel")].some((b) => !b.hidden);
      g.hidden = !matches;
      g.open = words.length > 0 ? matches : wasOpen[i]!;
    });
  });
  return label;
}

function el(doc: Document, name: string, attributes: Record<string, string>): HTMLElement {
  const e = doc.createElement(name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  return e;
}

function svgEl(doc: Document, name: string, attributes: Record<string, string | number>): SVGElement {
  const e = doc.createElementNS(svgNs, name) as SVGElement;
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  return e;
}

function label(doc: Document, content: string, attributes: Record<string, string | number>): SVGElement {
  const t = svgEl(doc, "text", attributes);
  t.textContent = content;
  return t;
}

function text(doc: Document, content: string): Text {
  return doc.createTextNode(content);
}
