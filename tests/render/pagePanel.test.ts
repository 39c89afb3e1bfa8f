import { describe, expect, it } from "vitest";
import { JSDOM } from "jsdom";
import { historyFigure } from "../../src/core/figures.ts";
import { pagePanelSvg, relativeLine, renderFigure, sharePanelParts, splitFigure } from "../../src/render/svg.ts";
import { agRun, labels, load } from "../support/figureRuns.ts";

const figure = renderFigure(historyFigure(load(agRun), { labels, earlyStopping: { minDelta: 0.005, patience: 3 } }));
const { panels } = splitFigure(figure);
const parse = (svg: string) => new JSDOM(svg, { contentType: "image/svg+xml" }).window.document.documentElement;

describe("pagePanelSvg", () => {
  it("pagePanelSvg(svg) drops Plot's <style>, its class and the root's presentation attributes, keeps the scales and the metric", () => {
    for (const p of panels) {
      const page = pagePanelSvg(p.svg);
      expect(p.svg).toContain("<style>");
      expect(page).not.toContain("<style>");
      expect(page).not.toMatch(/plot-[0-9a-f]+/);
      const [before, after] = [parse(p.svg), parse(page)];
      expect(after.getAttribute("class")).toBe("runsite-panel");
      for (const name of ["fill", "font-family", "font-size", "text-anchor", "x", "y", "data-panel"]) expect(after.hasAttribute(name), name).toBe(false);
      for (const name of ["width", "height", "viewBox", "data-metric"]) expect(after.getAttribute(name)).toBe(before.getAttribute(name));
      expect(JSON.parse(after.getAttribute("data-scales")!)).toEqual(JSON.parse(before.getAttribute("data-scales")!));
    }
  });
  it("pagePanelSvg(svg) leaves every text as it was: tick labels, axis labels, the early-stopping <title>s; only a log axis's empty tick texts go", () => {
    let empty = 0;
    for (const p of panels) {
      const texts = (svg: string) => [...parse(svg).querySelectorAll("text, title")].map((t) => t.textContent);
      empty += texts(p.svg).filter((t) => t === "").length;
      expect(texts(pagePanelSvg(p.svg))).toEqual(texts(p.svg).filter((t) => t !== ""));
    }
    // The loss panel is on a log scale: Plot writes its unlabelled ticks as empty texts.
    expect(empty).toBeGreaterThan(10);
  });
  it("pagePanelSvg(svg) rounds coordinates to 2 decimals, and draws one path per grid or tick group with the same segments", () => {
    for (const p of panels) {
      const page = pagePanelSvg(p.svg);
      const geometry = [...page.matchAll(/ (?:d|transform|x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"/g)].map((m) => m[1]!);
      expect(geometry.filter((v) => /\d\.\d{3}/.test(v))).toEqual([]);
      const [before, after] = [parse(p.svg), parse(page)];
      const lines = [...before.querySelectorAll("g > line:not([data-x])")];
      const gridPath = [...after.querySelectorAll("g > path[fill='none']")].find((e) => e.parentElement!.getAttribute("stroke-opacity") === "0.1")!;
      expect(gridPath.getAttribute("d")!.match(/M/g)).toHaveLength(lines.length);
      // The first grid line, rounded: M x1,y1 H x2.
      const [x1, x2, y1] = ["x1", "x2", "y1"].map((a) => Math.round(Number(lines[0]!.getAttribute(a)) * 100) / 100);
      expect(gridPath.getAttribute("d")).toMatch(new RegExp(`^M${x1},${y1}H${x2}`));
      expect(after.querySelectorAll("text[transform]").length).toBe(0);
      // Labels sit where they sat: each text's position plus its group's translation is the same.
      const place = (t: Element) => {
        const [gx, gy] = (/translate\(([^,]+),([^)]+)\)/.exec(t.parentElement!.getAttribute("transform") ?? "") ?? [0, "0", "0"]).slice(1).map(Number);
        const [tx, ty] = (/translate\(([^,]+),([^)]+)\)/.exec(t.getAttribute("transform") ?? "") ?? [0, "0", "0"]).slice(1).map(Number);
        const x = gx! + tx! + Number(t.getAttribute("x") ?? 0);
        const y = gy! + ty! + Number(/em$/.test(t.getAttribute("y") ?? "") ? 0 : (t.getAttribute("y") ?? 0));
        return [Math.round(x * 100) / 100, Math.round(y * 100) / 100, t.getAttribute("dy") ?? (/em$/.test(t.getAttribute("y") ?? "") ? t.getAttribute("y") : null), t.textContent];
      };
      expect([...after.querySelectorAll("text")].map(place)).toEqual([...before.querySelectorAll("text")].filter((t) => t.textContent !== "").map(place));
      // Overlays (rules and dots the page's script moves) are untouched but for rounding.
      expect(after.querySelectorAll("g.overlay > *").length).toBe(before.querySelectorAll("g.overlay > *").length);
    }
  });
  it("pagePanelSvg(svg) on a hand-written panel: exact output", () => {
    const svg =
      `<svg class="plot-d6a7b5 runsite-panel" fill="currentColor" font-size="10" width="320" x="3" y="48" data-metric="loss" data-panel="0" data-scales="{&quot;x&quot;:[&quot;linear&quot;,0.123456,1,56,306]}">` +
      `<style>:where(.plot-d6a7b5) { display: block; }</style>` +
      `<g aria-hidden="true" stroke="currentColor"><line x1="56" x2="306" y1="45.59999999999999" y2="45.59999999999999"></line></g>` +
      `<g aria-hidden="true" fill="none"><path transform="translate(164.69565217391306,196)" d="M0,0L0,6"></path></g>` +
      `<g><text y="0.71em" transform="translate(164.69565217391306,196)">0.123456</text></g>` +
      `<g text-anchor="end" transform="translate(-9,0)"><text y="0.32em" transform="translate(56,172.50000000000003)">0.6</text><text y="0.32em" transform="translate(56,125.5)">0.7</text></g>` +
      `<g class="overlay"><circle cx="229.911" cy="1" r="5" data-y="0.04039685606070125"><title>at 12.3456</title></circle></g></svg>`;
    expect(pagePanelSvg(svg)).toBe(
      `<svg class="runsite-panel" width="320" data-metric="loss" data-scales='{"x":["linear",0.123456,1,56,306]}'>` +
        `<g stroke="currentColor"><path fill="none" d="M56,45.6H306"></path></g>` +
        `<g fill="none"><path d="M164.7,196v6"></path></g>` +
        `<g><text x="164.7" y="196" dy="0.71em">0.123456</text></g>` +
        `<g text-anchor="end" transform="translate(47,0)"><text y="172.5" dy="0.32em">0.6</text><text y="125.5" dy="0.32em">0.7</text></g>` +
        `<g class="overlay"><circle cx="229.91" cy="1" r="5" data-y="0.04039685606070125"><title>at 12.3456</title></circle></g></svg>`,
    );
  });
});

describe("relativeLine", () => {
  /** The absolute points of a path of M, L and l commands (implicit repeats included). */
  const points = (d: string) => {
    const out: [number, number][] = [];
    for (const [, command, numbers] of d.matchAll(/([MLl])([^MLl]*)/g)) {
      const values = numbers!.match(/-?(?:\d+\.?\d*|\.\d+)/g)!.map(Number);
      const relative = command === "l";
      for (let i = 0; i < values.length; i += 2) {
        const last = out.at(-1) ?? [0, 0];
        out.push(relative ? [Math.round((last[0] + values[i]!) * 100) / 100, Math.round((last[1] + values[i + 1]!) * 100) / 100] : [values[i]!, values[i + 1]!]);
      }
    }
    return out;
  };
  it("relativeLine(d) draws exactly the same points in fewer characters", () => {
    const d = "M56,169.88L66.87,146.83L77.74,129.09L88.61,118.42L99.48,105.78L110.35,92.56L121.22,-5.01L132.09,77.67";
    const relative = relativeLine(d);
    expect(relative).toBe("M56,169.88l10.87-23.05 10.87-17.74 10.87-10.67 10.87-12.64 10.87-13.22 10.87-97.57 10.87,82.68");
    expect(points(relative)).toEqual(points(d));
    expect(relative.length).toBeLessThan(d.length);
  });
  it("relativeLine(d) keeps every line of the real figure's panels point for point", () => {
    for (const p of panels) {
      // The lines: the paths with their own stroke colour.
      const lines = [...pagePanelSvg(p.svg).matchAll(/<path stroke="[^"]*" d="([^"]*)"/g)].map((m) => m[1]!);
      expect(lines.length).toBeGreaterThan(0);
      const originals = [...p.svg.matchAll(/<path stroke="[^"]*" d="([^"]*)"/g)].map((m) => points(m[1]!).map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100]));
      expect(lines.map(points)).toEqual(originals);
    }
  });
});

describe("sharePanelParts", () => {
  const page = panels.map((p) => pagePanelSvg(p.svg));
  const shared = sharePanelParts(page, "f-s");

  it("sharePanelParts(panels) moves the x axis and frame every panel draws alike into one group, one <use> per panel", () => {
    expect(shared.defs).toMatch(/^<svg class="shared-parts" width="0" height="0" aria-hidden="true"><defs><g id="f-s0">/);
    expect(shared.defs).toContain(">epoch →</text>");
    for (const svg of shared.panels) expect(svg.match(/<use /g)).toHaveLength(1);
    expect(shared.panels.join("").length + shared.defs.length).toBeLessThan(page.join("").length);
  });
  it("sharePanelParts(panels): putting each group back where its <use> is gives the panels as they were", () => {
    const groups = new Map([...shared.defs.matchAll(/<g id="([^"]+)">((?:(?!<g id=")[\s\S])*)<\/g>(?=<g id="|<\/defs>)/g)].map((m) => [m[1]!, m[2]!]));
    expect(groups.size).toBeGreaterThan(0);
    const restored = shared.panels.map((svg) => svg.replace(/<use href="#([^"]+)"><\/use>/g, (_, id: string) => groups.get(id)!));
    expect(restored).toEqual(page);
  });
  it("sharePanelParts(panels) shares nothing the panels do not all have, and never an overlay", () => {
    expect(sharePanelParts([page[0]!], "f-s")).toEqual({ panels: [page[0]!], defs: "" });
    const other = page[1]!.replace(/>epoch →</, ">step →<");
    const two = sharePanelParts([page[0]!, other], "f-s");
    expect(two.defs).not.toContain("epoch →");
    expect(two.defs).not.toContain("overlay");
  });
});
