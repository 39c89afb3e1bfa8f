import { describe, expect, it } from "vitest";
import { historyFigure } from "../../src/core/figures.ts";
import { joinFigure } from "../../src/core/pageFigure.ts";
import { renderFigure, splitFigure } from "../../src/render/svg.ts";
import { adamRun, agRun, labels, load } from "../support/figureRuns.ts";

describe("joinFigure", () => {
  it("joinFigure(parts) writes back the figure renderFigure drew, from the legend and panels splitFigure finds", () => {
    for (const [run, columns] of [
      [agRun, 3],
      [adamRun, 2],
      [agRun, 5],
    ] as const) {
      const spec = historyFigure(load(run), { labels, columns, earlyStopping: { minDelta: 0.005, patience: 3 } });
      const svg = renderFigure(spec);
      const { legend, panels } = splitFigure(svg);
      expect(panels.length).toBeGreaterThan(1);
      expect(joinFigure({ label: spec.label, legend, panels: panels.map((p) => ({ title: p.title, svg: p.svg })) }), `${run} in ${columns} columns`).toBe(svg);
    }
  });

  it("joinFigure escapes the name and counts legend text as the reader sees it", () => {
    const svg = joinFigure({
      label: `a "b" & <c>`,
      legend: [
        { color: "#4269d0", dashed: false, faint: false, text: "a &#38; b" },
        { color: "currentColor", dashed: true, faint: true, text: "c" },
      ],
      panels: [{ title: "T", svg: '<svg x="10" y="48" width="300" height="230"></svg>' }],
    });
    expect(svg).toContain('aria-label="a &#34;b&#34; &#38; &#60;c&#62;"');
    // "a & b" is 5 characters: the next item starts at 8 + 40 + 5 × 7.
    expect(svg).toContain('<line x1="83" x2="105" y1="12" y2="12" stroke="currentColor" stroke-width="2" stroke-dasharray="4,3" stroke-opacity="0.35"/>');
    expect(svg).toContain('viewBox="0 0 310 278"');
    expect(svg).toContain('<text class="panel-title" x="160" y="42" text-anchor="middle">T</text>');
  });
});
