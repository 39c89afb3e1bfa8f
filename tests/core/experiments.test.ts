import { describe, expect, it } from "vitest";
import { orderExperiments, parseExperimentPath, slugify, type ParamSpec } from "../../src/core/experiments.ts";

const seedPath = "2021-03-02/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40.csv";

describe("parseExperimentPath", () => {
  it("parseExperimentPath(seed layout) reads date, model, dataset, optimizer and every token", () => {
    const info = parseExperimentPath(seedPath);
    expect(info).toMatchObject({
      file: seedPath,
      stem: "unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40",
      slug: "2021-03-02/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40",
      date: "2021-03-02",
      model: "unet_2d_mdice",
      dataset: "fat_768x384x1",
      optimizer: "AdaDelta",
      tokens: [],
    });
    expect(info.params.map((p) => [p.key, p.name, p.value, p.raw])).toEqual([
      ["N", "samples", 204, "N204"],
      ["E", "epochs", 24, "E24"],
      ["L", "levels", 4, "L4"],
      ["FBL", "filters", 24, "FBL24"],
      ["DR", "dropout", 40, "DR40"],
    ]);
  });
  it("parseExperimentPath(model with a suffix) does not confuse unet_2d_mdice_ag with unet_2d_mdice", () => {
    const info = parseExperimentPath("2021-03-01/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24.csv");
    expect(info).toMatchObject({ model: "unet_2d_mdice_ag", optimizer: "AdaDelta", tokens: [] });
    expect(info.params.map((p) => p.raw)).toEqual(["N204", "E24", "L4", "FBL24"]);
  });
  it("parseExperimentPath(unknown tokens) keeps them verbatim and in order", () => {
    const info = parseExperimentPath("2021-03-02/unet/fat/unet_Adam_fat_N10_bs8_E5_cosine.csv");
    expect(info.params.map((p) => p.raw)).toEqual(["N10", "E5"]);
    expect(info.tokens).toEqual(["bs8", "cosine"]);
  });
  it("parseExperimentPath(flat file) finds the optimizer and tokens without the folder layout", () => {
    const info = parseExperimentPath("history_SGD_E40_DR20.csv");
    expect(info).toMatchObject({ date: undefined, model: undefined, dataset: undefined, optimizer: "SGD", tokens: ["history"] });
    expect(info.params.map((p) => p.raw)).toEqual(["E40", "DR20"]);
  });
  it("parseExperimentPath(path, params) uses a configured grammar, longest prefix first", () => {
    const params: ParamSpec[] = [
      { key: "B", name: "batch", label: "Batch size" },
      { key: "BS", name: "bs", label: "Batch size (bs)" },
      { key: "LR", name: "lr", label: "Learning rate" },
    ];
    const info = parseExperimentPath("x/y/z_BS16_LR0.001_B2.csv", params);
    expect(info.params.map((p) => [p.key, p.value])).toEqual([
      ["BS", 16],
      ["LR", 0.001],
      ["B", 2],
    ]);
  });
});

describe("slugify and orderExperiments", () => {
  it("slugify(path) keeps case and safe characters, replaces the rest", () => {
    expect(slugify("2021-03-02/a b/Fat ü<x>.csv")).toBe("2021-03-02/a-b/Fat-u-x");
    expect(slugify("../x.csv")).toBe("_/x");
  });
  it("slugify(path) cuts a very long segment to 120 characters with a hash, keeping cut names distinct", () => {
    const a = slugify(`x/${"a".repeat(300)}_1.csv`);
    const b = slugify(`x/${"a".repeat(300)}_2.csv`);
    expect(a.split("/")[1]).toHaveLength(120);
    expect(a).not.toBe(b);
    expect(a.split("/")[1]!.startsWith("a".repeat(111))).toBe(true);
  });
  it("orderExperiments(items) sorts by path and disambiguates colliding slugs deterministically", () => {
    const items = [
      { file: "a/x y.csv", slug: slugify("a/x y.csv") },
      { file: "a/x-y.csv", slug: slugify("a/x-y.csv") },
      { file: "a/X-Y.log", slug: slugify("a/X-Y.log") },
    ];
    const forward = orderExperiments(items).map((e) => [e.file, e.slug]);
    const backward = orderExperiments([...items].reverse()).map((e) => [e.file, e.slug]);
    expect(forward).toEqual([
      ["a/X-Y.log", "a/X-Y"],
      ["a/x y.csv", "a/x-y-2"],
      ["a/x-y.csv", "a/x-y-3"],
    ]);
    expect(backward).toEqual(forward);
  });
});
