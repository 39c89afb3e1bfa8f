import { describe, expect, it } from "vitest";
import { normalizeConfig } from "../../src/core/config.ts";
import { emptyDescriptions } from "../../src/core/descriptions.ts";
import { parseExperimentPath } from "../../src/core/experiments.ts";
import { autoParts, detectLayout, matchLayout, parseLayout, runPath } from "../../src/core/layout.ts";
import { experimentTitles } from "../../src/core/titles.ts";
import { samplePaths } from "../support/samplePaths.ts";

describe("runPath", () => {
  it("runPath(tool layouts) names the run where the tool wrote it", () => {
    expect(runPath("helmet/runs/detect/train2/results.csv")).toEqual({ folders: ["helmet"], run: "train2", tool: "ultralytics" });
    expect(runPath("runs/segment/train/results.csv")).toEqual({ folders: [], run: "train", tool: "ultralytics" });
    expect(runPath("chem/lightning_logs/version_3/metrics.csv")).toEqual({ folders: ["chem"], run: "version_3", tool: "lightning" });
    expect(runPath("nlp/bert-imdb/checkpoint-1500/trainer_state.json")).toEqual({ folders: ["nlp"], run: "bert-imdb", tool: "huggingface" });
    expect(runPath("keras/mnist/history.csv")).toEqual({ folders: ["keras"], run: "mnist", tool: "generic" });
    expect(runPath("tb/run1/events.out.tfevents.1795846952.vm.512.0")).toEqual({ folders: ["tb"], run: "run1", tool: "generic" });
  });
  it("runPath(a named file) is its folders and its stem", () => {
    expect(runPath("2021-03-02/unet/fat/unet_Adam_fat_N4.csv")).toEqual({ folders: ["2021-03-02", "unet", "fat"], run: "unet_Adam_fat_N4" });
    expect(runPath("results.csv")).toEqual({ folders: [], run: "results" });
    // A folder-shaped run (Hugging Face output, TensorBoard, MLflow) is keyed by its folder, whatever its name.
    expect(runPath("hf/results")).toEqual({ folders: ["hf"], run: "results" });
  });
});

describe("layouts", () => {
  it("parseLayout(pattern) reports what is wrong with a malformed pattern", () => {
    expect(() => parseLayout("{run}")).not.toThrow();
    expect(() => parseLayout("{project}/{run}/x")).toThrowErrorMatchingInlineSnapshot(`[Error: the last segment must be {run}, got "{project}/{run}/x"]`);
    expect(() => parseLayout("{Project}/{run}")).toThrowErrorMatchingInlineSnapshot(`[Error: invalid part {Project} (expected a lower-case name such as {project})]`);
    expect(() => parseLayout("{a}/{a}/{run}")).toThrowErrorMatchingInlineSnapshot(`[Error: part {a} appears twice]`);
    expect(() => parseLayout("x{a}/{run}")).toThrowErrorMatchingInlineSnapshot(`[Error: invalid segment "x{a}" (expected a folder name, {part} or **)]`);
  });
  it("normalizeConfig({layout}) rejects a malformed layout with its path", () => {
    expect(() => normalizeConfig({ layout: "{run}/{project}" })).toThrowErrorMatchingInlineSnapshot(
      `[Error: runsite config: layout: the last segment must be {run}, got "{run}/{project}", received "{run}/{project}"]`,
    );
  });
  it("matchLayout(layout, path) reads named parts, literals, ** and dates", () => {
    const seed = parseLayout("{date}/{model}/{dataset}/{run}");
    expect(matchLayout(seed, runPath("2021-03-02/unet/fat/x.csv"))).toEqual({ date: "2021-03-02", model: "unet", dataset: "fat", run: "x" });
    expect(matchLayout(seed, runPath("lab/unet/fat/x.csv"))).toBeNull();
    const project = parseLayout("{project}/{run}");
    expect(matchLayout(project, runPath("helmet/runs/detect/train2/results.csv"))).toEqual({ project: "helmet", run: "train2" });
    const deep = parseLayout("lab/**/{gpu}/{run}");
    expect(matchLayout(deep, runPath("lab/a/b/a100/x.csv"))).toEqual({ gpu: "a100", run: "x" });
    expect(matchLayout(deep, runPath("lab/a100/x.csv"))).toEqual({ gpu: "a100", run: "x" });
    expect(matchLayout(deep, runPath("other/a100/x.csv"))).toBeNull();
  });
  it("autoParts(path) takes models and datasets only from the seed's shape; other folders are the project", () => {
    expect(autoParts(runPath("2021-03-02/unet/fat/x.csv"))).toEqual({ run: "x", date: "2021-03-02", model: "unet", dataset: "fat" });
    expect(autoParts(runPath("lab/2021-03-02/unet/fat/x.csv"))).toEqual({ run: "x", date: "2021-03-02", model: "unet", dataset: "fat", project: "lab" });
    expect(autoParts(runPath("unet/fat/unet_SGD_fat_N1.csv"))).toEqual({ run: "unet_SGD_fat_N1", model: "unet", dataset: "fat" });
    expect(autoParts(runPath("helmet/2024-05-01/results.csv"))).toEqual({ run: "2024-05-01", project: "helmet" });
    expect(autoParts(runPath("helmet/2024-05-01/run3.csv"))).toEqual({ run: "run3", date: "2024-05-01", project: "helmet" });
    expect(autoParts(runPath("yolo/runs/detect/train2/results.csv"))).toEqual({ run: "train2", project: "yolo" });
    expect(autoParts(runPath("a/b/c/x.csv"))).toEqual({ run: "x", project: "a / b / c" });
  });
  it("detectLayout(paths) finds the one pattern that fits every run, else null", () => {
    expect(detectLayout(samplePaths.map(runPath))).toBe("{date}/{model}/{dataset}/{run}");
    expect(detectLayout(["helmet/runs/detect/train2/results.csv", "cups/runs/segment/train/results.csv"].map(runPath))).toBe("{project}/{run}");
    expect(detectLayout(["a.csv", "b.csv"].map(runPath))).toBe("{run}");
    expect(detectLayout(["a.csv", "x/y/b.csv"].map(runPath))).toBeNull();
    expect(detectLayout([])).toBeNull();
  });
});

describe("parseExperimentPath with layouts", () => {
  it("parseExperimentPath(project-first tree) puts the project in project, not model, and dates in date", () => {
    const info = parseExperimentPath("helmet/2024-05-01/run_Adam_E30.csv");
    expect(info).toMatchObject({ project: "helmet", date: "2024-05-01", model: undefined, dataset: undefined, optimizer: "Adam", name: "helmet / run_Adam_E30" });
    expect(info.params.map((p) => p.raw)).toEqual(["E30"]);
  });
  it("parseExperimentPath(generic stems) names the run by its path and keeps no stray tokens", () => {
    const hf = parseExperimentPath("nlp/bert-imdb/checkpoint-1500/trainer_state.json");
    expect(hf).toMatchObject({ name: "nlp / bert-imdb", run: "bert-imdb", stem: "trainer_state", tokens: [], tool: "huggingface" });
  });
  it("parseExperimentPath(path, params, layout) marks a path the layout does not fit", () => {
    const layout = parseLayout("{project}/{run}");
    expect(parseExperimentPath("a/b/c.csv", undefined, layout).layoutMismatch).toBe(true);
    expect(parseExperimentPath("a/c.csv", undefined, layout)).toMatchObject({ project: "a", run: "c" });
    expect(parseExperimentPath("a/c.csv", undefined, layout).layoutMismatch).toBeUndefined();
    const custom = parseExperimentPath("a100/seed3/x.csv", undefined, parseLayout("{gpu}/{seed}/{run}"));
    expect(custom.parts).toEqual({ gpu: "a100", seed: "seed3", run: "x" });
  });
});

describe("experimentTitles", () => {
  it("experimentTitles(sample) are distinct, readable, and name only what differs", () => {
    const infos = samplePaths.map((p) => parseExperimentPath(p));
    const descriptions = { ...emptyDescriptions(), models: { unet_2d_mdice: { label: "U-Net" } }, datasets: { fat_768x384x1: { label: "Fat MRI 768×384" } } };
    const titles = experimentTitles(infos, descriptions);
    expect(new Set(titles).size).toBe(titles.length);
    const dr40 = infos.findIndex((i) => i.file.startsWith("2021-03-02/unet_2d_mdice/") && i.stem.endsWith("_DR40"));
    expect(titles[dr40]).toMatch(/^U-Net, AdaDelta, Fat MRI 768×384, .*40 % dropout \(2021-03-02\)$/);
    for (const title of titles) expect(title).not.toMatch(/_N\d+_E\d+/);
  });
  it("experimentTitles(folder-named runs) are their names; collisions get the run, then the path", () => {
    const infos = ["helmet/runs/detect/train2/results.csv", "a/x/history.csv", "a/x.csv"].map((p) => parseExperimentPath(p));
    expect(experimentTitles(infos, emptyDescriptions())).toEqual(["helmet / train2", "a / x · x · a/x/history.csv", "a / x · x · a/x.csv"]);
  });
});
