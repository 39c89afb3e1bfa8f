import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { historyFromDownload } from "../../src/client/historyDownload.ts";
import { figureData, figureDataFor } from "../../src/core/figureData.ts";
import { inspectDocument } from "../../src/core/inspect.ts";
import { parseHistory } from "../../src/core/load.ts";
import { parseMetricLabels } from "../../src/core/labels.ts";
import { fixturePath, repoRoot } from "../support/fixtures.ts";

const labels = parseMetricLabels(readFileSync(path.join(repoRoot, "content/labels/metrics.yml"), "utf8"), "metrics.yml").labels;

/** The sample's runs and the corpus of real logs of other tools (epoch and step axes, several trainings in one file, NaN). */
function histories() {
  const roots = [path.join(repoRoot, "runs"), fixturePath("corpus")];
  return roots.flatMap((root) =>
    readdirSync(root, { recursive: true, encoding: "utf8" })
      .filter((f) => /\.(csv|json|txt|tsv)$/.test(f) && !f.includes("MANIFEST"))
      .flatMap((f) => {
        const { history } = parseHistory(readFileSync(path.join(root, f)), f);
        return history === null ? [] : [history];
      }),
  );
}

describe("figureDataFor", () => {
  it("from history.json (through JSON, as the browser fetches it) and the page's panels, the page's script gets the data the build would have embedded", () => {
    const all = histories();
    expect(all.length).toBeGreaterThan(40);
    expect(all.some((h) => h.series.some((s) => s.axis === "step"))).toBe(true);
    expect(all.some((h) => h.attempts.length > 1)).toBe(true);
    for (const history of all) {
      const built = figureData(history, labels);
      const doc = JSON.parse(JSON.stringify(inspectDocument(history.file, history, [], []))) as ReturnType<typeof inspectDocument>;
      const panels = built.panels.map(({ metric, axis, title }) => ({ metric, axis, title }));
      expect(figureDataFor(historyFromDownload(doc), panels), history.file).toEqual(built);
    }
  });
});
