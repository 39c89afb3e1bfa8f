import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildArchive } from "../../src/core/archive.ts";
import { normalizeConfig } from "../../src/core/config.ts";
import { emptyDescriptions } from "../../src/core/descriptions.ts";
import { decodeRunIndex } from "../../src/client/tableRows.ts";
import { experimentTable } from "../../src/core/experimentTable.ts";
import { experimentCrumbs, facets, facetSlug, legend } from "../../src/core/facets.ts";
import { runIndex } from "../../src/core/runIndex.ts";
import { repoRoot } from "../support/fixtures.ts";
import { loadSampleArchive } from "../support/sampleArchive.ts";

const runs = path.join(repoRoot, "runs");
const config = normalizeConfig({});
const { files, labels, experiments, descriptions } = loadSampleArchive(config);
const agSlug = "2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20";

describe("experimentTable with the sample's runsite.config.json (min_delta 0.005)", () => {
  it('experimentTable(early-stopped run) notes "stopped early" in the epochs column, and only there', () => {
    const sampleConfig = normalizeConfig(JSON.parse(readFileSync(path.join(repoRoot, "runsite.config.json"), "utf8")));
    const archive = buildArchive(
      files.map((file) => ({ file, bytes: readFileSync(path.join(runs, file)) })),
      sampleConfig,
      labels,
    );
    const table = experimentTable(archive.experiments, { params: sampleConfig.params, labels, descriptions });
    const epochs = table.columns.findIndex((c) => c.key === "epochs");
    const noted = table.groups.flatMap((g) => g.rows).filter((r) => r.cells[epochs]!.note !== undefined);
    expect(noted.map((r) => [r.slug, r.cells[epochs]!.text, r.cells[epochs]!.note])).toEqual([[agSlug, "10 / 40", "stopped early"]]);
    expect(noted[0]!.cells[epochs]!.title).toMatch(/^EarlyStopping on val_loss \(patience 3, min_delta 0\.005\) stops after epoch 10 \(CSV row epoch 9\)/);
  });
});

describe("experimentTable", () => {
  const table = experimentTable(experiments, { params: config.params, labels, descriptions });
  const cell = (slug: string, key: string) => {
    const row = table.groups.flatMap((g) => g.rows).find((r) => r.slug === slug)!;
    return row.cells[table.columns.findIndex((c) => c.key === key)]!;
  };

  it("experimentTable(sample) has names, every parameter, epochs and one column per validation metric, titled by label", () => {
    expect(table.columns.map((c) => c.key)).toEqual([
      "stem",
      "date",
      "model",
      "dataset",
      "optimizer",
      "N",
      "E",
      "L",
      "FBL",
      "DR",
      "epochs",
      "val_loss",
      "val_sdice",
      "val_background_dice",
      "val_vsat_dice",
      "val_scat_dice",
    ]);
    expect(table.columns.find((c) => c.key === "val_vsat_dice")).toMatchObject({ label: "VAT Dice Score", type: "number", filter: false });
    expect(table.columns.filter((c) => c.filter).map((c) => c.key)).toEqual(["date", "model", "dataset", "optimizer", "N", "E", "L", "FBL", "DR"]);
  });
  it("experimentTable(sample) groups rows by date in archive order", () => {
    expect(table.groups.map((g) => [g.id, g.rows.length])).toEqual([
      ["date-2021-03-01", 1],
      ["date-2021-03-02", 2],
      ["date-2021-03-10", 2],
      ["date-2021-03-11", 1],
      ["date-2021-03-12", 2],
      ["date-2021-03-15", 2],
      ["date-2021-03-17", 1],
    ]);
  });
  it("experimentTable(early-stopped run) shows 10 / 40 epochs and raw best values with their epoch", () => {
    // With Keras' default min_delta 0 nothing explains where the file ends: no "stopped early".
    expect(cell(agSlug, "epochs")).toEqual({ text: "10 / 40", value: "10" });
    const best = experiments.find((e) => e.info.slug === agSlug)!.bestValidation["loss"]!;
    expect(cell(agSlug, "val_loss")).toMatchObject({ value: String(best.value), note: `(${best.epoch})` });
    expect(cell(agSlug, "DR")).toEqual({ text: "20%", value: "20" });
    expect(cell(experiments[0]!.info.slug, "DR")).toEqual({ text: "—", value: null });
  });
  it("experimentTable(sample) describes names in titles; the browser's filter searches them (client/tableRows.ts)", () => {
    expect(cell(agSlug, "model")).toEqual({
      text: "unet_2d_mdice_ag",
      value: "unet_2d_mdice_ag",
      title: "Attention U-Net: 2D U-Net with attention gates, multi-label balanced Dice loss",
      path: "models/unet_2d_mdice_ag/",
    });
    expect(cell(agSlug, "optimizer").path).toBeUndefined();
    // What the table's text filter searches, from /runs.json as the browser reads it: names, descriptions, tokens.
    const rows = decodeRunIndex(runIndex(table));
    const search = rows.search[rows.slugs.indexOf(agSlug)]!;
    expect(search).toContain("attention gates");
    expect(search).toContain("dr20");
    expect(search).toBe(search.toLowerCase());
  });
  it("experimentTable(params named like fixed columns) keeps every key unique and attribute-safe", () => {
    const params = [
      { key: "date", name: "d", label: "D" },
      { key: "q", name: "q", label: "Q" },
    ];
    const odd = experiments.slice(0, 1).map((e) => ({
      ...e,
      info: {
        ...e.info,
        params: [
          { ...params[0]!, value: 1, raw: "date1" },
          { ...params[1]!, value: 2, raw: "q2" },
        ],
      },
      bestValidation: { "metrics/mAP50(B)": { series: "x", metric: "metrics/mAP50(B)", value: 1, epoch: 0 } },
    }));
    const keys = experimentTable(odd, { params, labels: {}, descriptions: emptyDescriptions() }).columns.map((c) => c.key);
    expect(keys).toEqual(["stem", "date", "model", "dataset", "optimizer", "date-2", "q-2", "epochs", "val_metrics_mAP50_B_"]);
  });
});

describe("facets", () => {
  it("facets(sample, kind) has a page per date, model and dataset with its runs", () => {
    expect(facets(experiments, "dates", descriptions).map((f) => [f.slug, f.experiments.length])).toEqual([
      ["2021-03-01", 1],
      ["2021-03-02", 2],
      ["2021-03-10", 2],
      ["2021-03-11", 1],
      ["2021-03-12", 2],
      ["2021-03-15", 2],
      ["2021-03-17", 1],
    ]);
    expect(facets(experiments, "models", descriptions).map((f) => [f.path, f.label, f.experiments.length])).toEqual([
      ["models/unet_2d_mdice/", "U-Net", 8],
      ["models/unet_2d_mdice_ag/", "Attention U-Net", 3],
    ]);
    expect(facets(experiments, "datasets", descriptions).map((f) => [f.slug, f.description])).toEqual([
      ["fat_384x192x1", "fat MRI slices, 384×192 px, 1 channel"],
      ["fat_768x384x1", "fat MRI slices, 768×384 px, 1 channel"],
    ]);
  });
  it("facets(names sharing a slug) puts both on one page", () => {
    const two = experiments.slice(0, 2).map((e, i) => ({ ...e, info: { ...e.info, model: i === 0 ? "a b" : "a-b" } }));
    expect(facets(two, "models", emptyDescriptions()).map((f) => [f.slug, f.names])).toEqual([["a-b", ["a b", "a-b"]]]);
    expect(facetSlug("<script>")).toBe("script");
  });
  it("experimentCrumbs(info) is Archive › date › model › dataset › stem", () => {
    const info = experiments.find((e) => e.info.slug === agSlug)!.info;
    expect(experimentCrumbs(info, descriptions)).toEqual([
      { label: "Archive", path: "" },
      { label: "2021-03-12", path: "dates/2021-03-12/" },
      { label: "unet_2d_mdice_ag", path: "models/unet_2d_mdice_ag/", title: "2D U-Net with attention gates, multi-label balanced Dice loss" },
      { label: "fat_768x384x1", path: "datasets/fat_768x384x1/", title: "fat MRI slices, 768×384 px, 1 channel" },
      { label: "unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20" },
    ]);
  });
  it("legend(sample) lists models, datasets and optimizers with descriptions; unknown names show as themselves", () => {
    const entries = legend(experiments, { ...descriptions, optimizers: {} });
    expect(entries.map((e) => `${e.kind}:${e.name}`)).toEqual([
      "models:unet_2d_mdice",
      "models:unet_2d_mdice_ag",
      "datasets:fat_384x192x1",
      "datasets:fat_768x384x1",
      "optimizers:AdaDelta",
      "optimizers:Adam",
      "optimizers:SGD",
    ]);
    expect(entries.at(-1)).toEqual({ kind: "optimizers", name: "SGD", label: "SGD", description: undefined, path: undefined });
  });
});
