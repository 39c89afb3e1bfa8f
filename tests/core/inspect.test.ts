import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Series, Split } from "../../src/core/history.ts";
import { inspectDocument, inspectVersion, paperLabels, stopRows, type InspectDocument } from "../../src/core/inspect.ts";
import { parseHistory } from "../../src/core/load.ts";
import { stopSemantics } from "../../src/core/earlyStopping.ts";
import { stopTable } from "../../src/core/stopTable.ts";
import { fixturePath, repoRoot } from "../support/fixtures.ts";
import { labels } from "../support/figureRuns.ts";

/** Every file under `dir` (recursively). */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** The document as a reader gets it: through JSON. */
const overJson = (doc: InspectDocument) => JSON.parse(JSON.stringify(doc)) as InspectDocument;

function series(name: string, metric: string, split: Split, y: (number | null)[], extra: Partial<Series> = {}): Series {
  return { name, metric, split, axis: "epoch", role: "metric", attempt: 0, x: y.map((_, i) => i), y, ...extra };
}

describe("inspectDocument and stopRows", () => {
  it("stopRows(inspectDocument(…)) gives back every early-stopping row of the sample runs and the format fixtures, under every rule", async () => {
    const found = [...(await files(path.join(repoRoot, "runs"))), ...(await files(fixturePath("formats")))].sort();
    let checked = 0;
    for (const file of found) {
      const { history } = parseHistory(new Uint8Array(await readFile(file)), path.relative(repoRoot, file));
      if (history === null) continue;
      for (const semantics of stopSemantics) {
        const { rows } = stopTable(history.series, { patience: [0, 3, 10], minDelta: 0.005, semantics, directions: labels, file, format: history.format });
        const doc = overJson(inspectDocument(file, history, rows, []));
        expect(doc.version).toBe(inspectVersion);
        expect(stopRows(doc), `${file} ${semantics}`).toEqual(rows);
        checked += rows.length;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("stopRows keeps NaN, infinities, missing values, a series that never improves and one with no values", () => {
    const history: Series[] = [
      series("loss", "loss", "train", [Number.NaN, 0.5, Infinity, null, 0.4, 0.45, 0.46, 0.47]),
      series("val_loss", "loss", "validation", [null, null]),
      series("val_loss", "loss", "validation", [1, 1, 1, 1], { attempt: 1 }),
      series("sdice", "sdice", "train", [-Infinity, 0.2, 0.1, 0.1, 0.1]),
    ];
    for (const semantics of stopSemantics) {
      const { rows } = stopTable(history, { patience: [0, 1, 2], semantics, directions: { sdice: { direction: "max" } }, file: "a.csv" });
      expect(rows.some((r) => r.valuesSeen === 0)).toBe(true);
      expect(stopRows(overJson(inspectDocument("a.csv", { series: history } as never, rows, [])))).toEqual(rows);
    }
  });

  it("inspectDocument stores the replay once per series: settings once, one number per patience", () => {
    const history = [series("val_loss", "loss", "validation", [0.5, 0.4, 0.41, 0.42, 0.43])];
    const { rows } = stopTable(history, { patience: [0, 2], minDelta: 0, directions: {}, file: "a.csv" });
    const doc = inspectDocument("a.csv", { series: history, attempts: [], resumes: [], format: "keras" } as never, rows, []);
    expect(doc.earlyStopping).toEqual({
      minDelta: 0,
      semantics: "keras3",
      precision: "float32",
      numbering: { offset: 1, source: "CSV row epoch" },
      patience: [0, 2],
      // patience 0 stops at index 2 (the first epoch that does not improve), patience 2 at index 3; both restore index 1.
      series: [{ series: 0, mode: "min", stop: [2, 3], best: [1, 1], restored: [1, 1], seen: [3, 4], gap: [0, 0] }],
    });
    expect(inspectDocument("a.csv", null, [], []).earlyStopping).toBeNull();
  });

  it("paperLabels(labels, metrics) keeps the labels of the metrics given, in the label table's order", () => {
    const picked = paperLabels(labels, new Set(["sdice", "loss", "unknown"]));
    expect(Object.keys(picked)).toEqual(Object.keys(labels).filter((k) => k === "sdice" || k === "loss"));
    expect(picked["loss"]).toEqual({ label: labels["loss"]!.label });
  });
});
