import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { historyFromDownload } from "../../src/client/historyDownload.ts";
import { buildArchive } from "../../src/core/archive.ts";
import { comparisonFigure, comparisonPageOptions, type ComparedRun, type ComparisonFigureOptions } from "../../src/core/comparisonFigure.ts";
import { comparisonFromSection, comparisonSectionData, type ComparisonSectionData } from "../../src/core/comparisonSection.ts";
import { buildComparisons, comparisonDrawing } from "../../src/core/comparisons.ts";
import { comparisonSections } from "../../src/core/comparisonList.ts";
import { normalizeConfig } from "../../src/core/config.ts";
import { inspectDocument } from "../../src/core/inspect.ts";
import { parseMetricLabels } from "../../src/core/labels.ts";
import { renderFigure } from "../../src/render/svg.ts";
import { repoRoot } from "../support/fixtures.ts";
import { samplePaths } from "../support/samplePaths.ts";

const config = normalizeConfig(JSON.parse(readFileSync(path.join(repoRoot, "runsite.config.json"), "utf8")));
const labels = parseMetricLabels(readFileSync(path.join(repoRoot, "content/labels/metrics.yml"), "utf8"), "metrics.yml").labels;
const archive = buildArchive(
  samplePaths.map((file) => ({ file, bytes: readFileSync(path.join(repoRoot, "runs", file)) })),
  config,
  labels,
);
const options = { labels, earlyStopping: config.earlyStopping, logScale: config.logScale };

describe("historyFromDownload", () => {
  it("historyFromDownload(history.json) gives each sample comparison the figure the build draws, through the section's and the page's embedded data", () => {
    const { comparisons } = buildComparisons(archive.experiments, config, labels);
    expect(comparisons).toHaveLength(6);
    for (const { comparison } of comparisons) {
      const members = comparison.members.flatMap((m) => archive.experiments.filter((e) => e.info.slug === m.slug));
      // What the browser has: the page's options and the section's JSON, its heading's text and each member's history.json, all through JSON.
      const pageOptions = JSON.parse(JSON.stringify(comparisonPageOptions(members, options))) as ComparisonFigureOptions;
      const section = comparisonFromSection(comparison.title, JSON.parse(JSON.stringify(comparisonSectionData(comparison))) as ComparisonSectionData);
      const downloaded = members.map((e): ComparedRun => {
        const doc = JSON.parse(JSON.stringify(inspectDocument(e.info.file, e.history, [], []))) as ReturnType<typeof inspectDocument>;
        return { info: { slug: e.info.slug }, history: historyFromDownload(doc) };
      });
      expect(renderFigure(comparisonFigure(section, downloaded, pageOptions)), comparison.id).toBe(renderFigure(comparisonFigure(comparison, archive.experiments, options)));
    }
  });

  it("historyFromDownload(doc) turns JSON's NaN and Infinity back into numbers, and numbers the attempts from the series when none are given", () => {
    const series = [
      { name: "val_loss", metric: "loss", split: "validation", axis: "epoch", role: "metric", attempt: 1, x: [0, 1, 2, 3], y: [1, "NaN" as const, "Infinity" as const, null] },
    ];
    const history = historyFromDownload({ format: "keras", series });
    expect(history.series[0]!.y).toEqual([1, Number.NaN, Number.POSITIVE_INFINITY, null]);
    expect(history.attempts.map((a) => a.index)).toEqual([0, 1]);
  });
});

describe("comparisonDrawing and comparisonSections", () => {
  it("comparisonDrawing(count, limit) draws at build time up to the limit, in the browser beyond", () => {
    expect(comparisonDrawing(6, 200)).toBe("build");
    expect(comparisonDrawing(200, 200)).toBe("build");
    expect(comparisonDrawing(201, 200)).toBe("browser");
    expect(comparisonDrawing(1, 0)).toBe("browser");
    const { comparisons } = buildComparisons(archive.experiments, { ...config, comparisonsDrawAtBuild: 5 }, labels);
    expect(comparisons.map((c) => c.draw)).toEqual(Array(6).fill("browser"));
  });

  it("comparisonSections(comparisons, perPage) counts each kind and what varies, and cuts its rows into pages", () => {
    const { comparisons } = buildComparisons(archive.experiments, config, labels);
    const [ablations, ...rest] = comparisonSections(
      comparisons.map((c) => c.comparison),
      4,
    );
    expect(rest).toEqual([]);
    expect(ablations).toMatchObject({ kind: "ablation", segment: "ablations", count: 6 });
    expect(ablations!.pages.map((p) => p.length)).toEqual([4, 2]);
    expect(ablations!.pages.flat()).toEqual(comparisons.map((c) => c.comparison));
    expect(ablations!.varies.reduce((n, v) => n + v.count, 0)).toBe(6);
    expect(comparisonSections(comparisons.map((c) => c.comparison))[0]!.pages).toHaveLength(1);
  });
});
