import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeRunIndex, rowsOfModel } from "../../src/client/tableRows.ts";
import { normalizeConfig } from "../../src/core/config.ts";
import { experimentTable, type ExperimentTableModel } from "../../src/core/experimentTable.ts";
import { pageCount, pagePath, pageWindow } from "../../src/core/pagination.ts";
import { runIndex } from "../../src/core/runIndex.ts";
import { repoRoot } from "../support/fixtures.ts";
import { loadSampleArchive } from "../support/sampleArchive.ts";

const config = normalizeConfig(JSON.parse(readFileSync(path.join(repoRoot, "runsite.config.json"), "utf8")));
const { labels, experiments, descriptions } = loadSampleArchive(config);
const table = experimentTable(experiments, { params: config.params, labels, descriptions });
const roundTrip = (model: ExperimentTableModel) => {
  const { search: _, ...decoded } = decodeRunIndex(JSON.parse(JSON.stringify(runIndex(model))));
  return decoded;
};

describe("runIndex (/runs.json)", () => {
  it("runIndex(sample) decodes, through JSON, to every cell of the table: values, texts, notes, titles, links", () => {
    const expected = rowsOfModel(table);
    expect(expected.count).toBe(11);
    expect(roundTrip(table)).toEqual(expected);
  });

  it("runIndex(sample) writes numbers as JSON numbers at full precision, names once, and no key per row", () => {
    const index = runIndex(table);
    const text = JSON.stringify(index);
    const vat = table.columns.findIndex((c) => c.key === "val_vsat_dice");
    const model = table.columns.findIndex((c) => c.key === "model");
    expect(index.cells[vat]!.value).toEqual({ list: table.groups.flatMap((g) => g.rows.map((r) => Number(r.cells[vat]!.value))) });
    const models = index.cells[model]!.value;
    expect("dict" in models && [...models.dict].sort()).toEqual(["unet_2d_mdice", "unet_2d_mdice_ag"]);
    // A model's description is written once, not once per run.
    expect(text.split("2D U-Net with attention gates").length - 1).toBe(1);
    expect(text).not.toContain('"slug":');
  });

  it("runIndex(hostile names) keeps markup as data, and names like __proto__ as keys like any other", () => {
    const hostile: ExperimentTableModel = {
      columns: [
        { key: "stem", label: "Experiment", type: "text", filter: false },
        { key: "model", label: "Model", type: "text", filter: true },
        { key: "val", label: "Val", type: "number", filter: false },
      ],
      groups: [
        {
          date: "undated",
          id: "date-undated",
          rows: ["<script>alert(1)</script>", "__proto__", "constructor", "<img src=x onerror=alert(2)>"].map((name, i) => ({
            slug: `s${i}`,
            path: `experiments/s${i}/`,
            group: "undated",
            cells: [
              { text: name, value: name, path: `experiments/s${i}/` },
              { text: i < 2 ? "__proto__" : name, value: i < 2 ? "__proto__" : name, title: `about ${name}`, path: `models/${i}/` },
              { text: i === 3 ? "nan" : "0.1", value: i === 3 ? "NaN" : String(0.1 + 0.2), note: "(3)" },
            ],
          })),
        },
      ],
    };
    expect(roundTrip(hostile)).toEqual(rowsOfModel(hostile));
  });
});

describe("pagination", () => {
  it("pageCount(rows) has at least one page and a last page for the remainder", () => {
    expect([0, 1, 100, 101, 1000, 10_000].map((n) => pageCount(n, 100))).toEqual([1, 1, 1, 2, 10, 100]);
  });
  it("pagePath(first, n) is the list's own path for page 1, then page/<n>/", () => {
    expect([pagePath("", 1), pagePath("", 2), pagePath("models/unet/", 3)]).toEqual(["", "page/2/", "models/unet/page/3/"]);
  });
  it("pageWindow(current, count) links first, last and two either side; bounded, and every page is one step from a shown one", () => {
    expect(pageWindow(7, 20)).toEqual([1, null, 5, 6, 7, 8, 9, null, 20]);
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 10)).toEqual([1, 2, 3, null, 10]);
    expect(pageWindow(4, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const count of [1, 2, 5, 9, 100]) {
      for (let current = 1; current <= count; current++) {
        const shown = pageWindow(current, count).filter((n): n is number => n !== null);
        expect(pageWindow(current, count).length).toBeLessThanOrEqual(9);
        expect(shown).toContain(current);
        expect(shown).toEqual([...new Set(shown)].sort((a, b) => a - b));
        // No gap hides a single page: a gap stands for two or more.
        const list = pageWindow(current, count);
        for (const [i, n] of list.entries()) if (n === null) expect((list[i + 1] as number) - (list[i - 1] as number)).toBeGreaterThan(2);
      }
    }
  });
});
