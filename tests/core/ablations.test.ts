import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { comparisonsByMember, findComparisons, type Comparison } from "../../src/core/ablations.ts";
import { normalizeConfig } from "../../src/core/config.ts";
import { defaultParams, parseExperimentPath, type ParamSpec } from "../../src/core/experiments.ts";
import { samplePaths } from "../support/samplePaths.ts";

const params = normalizeConfig({}).params;
const infos = (paths: readonly string[], grammar: readonly ParamSpec[] = params) => paths.map((p) => parseExperimentPath(p, grammar));
/** Each comparison as `id: member (date value), …`, compact enough to read in a diff. */
const summary = (comparisons: readonly Comparison[]) => comparisons.map((c) => [c.kind, c.id, c.title, c.members.map((m) => `${m.date} ${m.value}`)]);

describe("findComparisons", () => {
  it("findComparisons(sample archive, {descriptions}) titles and describes with the labels of content/labels/", () => {
    const descriptions = {
      models: { unet_2d_mdice: { label: "U-Net" }, unet_2d_mdice_ag: { label: "Attention U-Net" } },
      datasets: { fat_768x384x1: { label: "Fat MRI 768×384" }, fat_384x192x1: { label: "Fat MRI 384×192" } },
      optimizers: {},
    };
    const { comparisons } = findComparisons(infos(samplePaths), { params, descriptions });
    expect(comparisons.map((c) => c.title)).toEqual([
      "Model: U-Net vs Attention U-Net",
      "Optimizer: AdaDelta vs Adam vs SGD",
      "Planned epochs: 24 vs 40",
      "Dropout: 0% vs 20%",
      "Dropout: 0% vs 40% · Fat MRI 768×384",
      "Dropout: 0% vs 40% · Fat MRI 384×192",
    ]);
    expect(comparisons[1]!.description).toBe(
      "Optimizer varies: AdaDelta (1 run), Adam (1 run), SGD (1 run). Fixed: U-Net, Fat MRI 768×384, training samples 204, planned epochs 24, U-Net levels 4, filters in the base level 24, dropout 0%.",
    );
  });

  it("findComparisons(sample archive) finds the six ablations listed by hand from runs/README.md and the file names", () => {
    const { comparisons, diagnostics } = findComparisons(infos(samplePaths), { params });
    expect(summary(comparisons)).toEqual([
      // With and without attention gates: 2021-03-01 (ag) vs 2021-03-10 (plain), both without dropout.
      ["ablation", "model/AdaDelta/fat_768x384x1/N204_E24_L4_FBL24_DR0", "Model: unet_2d_mdice vs unet_2d_mdice_ag", ["2021-03-10 unet_2d_mdice", "2021-03-01 unet_2d_mdice_ag"]],
      // AdaDelta (03-10) vs Adam (03-10) vs SGD (03-12): one group, not three pairs.
      [
        "ablation",
        "optimizer/unet_2d_mdice/fat_768x384x1/N204_E24_L4_FBL24_DR0",
        "Optimizer: AdaDelta vs Adam vs SGD",
        ["2021-03-10 AdaDelta", "2021-03-10 Adam", "2021-03-12 SGD"],
      ],
      // The early-stopped E40 run against its E24 twin.
      [
        "ablation",
        "epochs/unet_2d_mdice_ag/AdaDelta/fat_768x384x1/N204_L4_FBL24_DR20",
        "Planned epochs: 24 vs 40",
        ["2021-03-02 Planned epochs 24", "2021-03-12 Planned epochs 40"],
      ],
      // The seed's dropout 0/20/40 %: 0 vs 20 with attention gates, 0 vs 40 without.
      ["ablation", "dropout/unet_2d_mdice_ag/AdaDelta/fat_768x384x1/N204_E24_L4_FBL24", "Dropout: 0% vs 20%", ["2021-03-01 Dropout 0%", "2021-03-02 Dropout 20%"]],
      // Two "Dropout: 0% vs 40%": told apart by the first fixed setting that differs.
      ["ablation", "dropout/unet_2d_mdice/AdaDelta/fat_768x384x1/N204_E24_L4_FBL24", "Dropout: 0% vs 40% · fat_768x384x1", ["2021-03-10 Dropout 0%", "2021-03-02 Dropout 40%"]],
      // The 2021-03-15 pair on the harder task.
      ["ablation", "dropout/unet_2d_mdice/AdaDelta/fat_384x192x1/N48_E60_L4_FBL24", "Dropout: 0% vs 40% · fat_384x192x1", ["2021-03-15 Dropout 0%", "2021-03-15 Dropout 40%"]],
    ]);
    expect(new Set(comparisons.map((c) => c.title)).size).toBe(comparisons.length);
    expect(diagnostics).toEqual([]);
  });

  it("findComparisons(sample archive) leaves out the runs that differ from every other in two settings or more", () => {
    const { comparisons } = findComparisons(infos(samplePaths), { params });
    const compared = new Set(comparisons.flatMap((c) => c.members.map((m) => m.file)));
    expect(samplePaths.filter((p) => !compared.has(p))).toEqual([samplePaths[5], samplePaths[10]]);
  });

  it("findComparisons(…) lists the fixed settings of a group, the date aside", () => {
    const pair = findComparisons(infos(samplePaths), { params }).comparisons.at(-1)!;
    expect(pair.fixed).toEqual([
      { label: "Model", value: "unet_2d_mdice", short: "unet_2d_mdice", words: "unet_2d_mdice" },
      { label: "Dataset", value: "fat_384x192x1", short: "fat_384x192x1", words: "fat_384x192x1" },
      { label: "Optimizer", value: "AdaDelta", short: "AdaDelta", words: "AdaDelta" },
      { label: "Training samples", value: "48", short: "N48", words: "training samples 48" },
      { label: "Planned epochs", value: "60", short: "E60", words: "planned epochs 60" },
      { label: "U-Net levels", value: "4", short: "L4", words: "U-Net levels 4" },
      { label: "Filters in the base level", value: "24", short: "FBL24", words: "filters in the base level 24" },
    ]);
    expect(pair.values).toEqual(["Dropout 0%", "Dropout 40%"]);
    expect(pair.description).toBe(
      "Dropout varies: 0% (1 run), 40% (1 run). Fixed: unet_2d_mdice, fat_384x192x1, AdaDelta, training samples 48, planned epochs 60, U-Net levels 4, filters in the base level 24.",
    );
  });

  it("findComparisons(…, {params without absent}) shows a missing token as its own value, none", () => {
    const grammar = defaultParams.map(({ absent: _absent, ...p }) => p);
    const pair = findComparisons(infos(samplePaths.slice(8, 10), grammar), { params: grammar }).comparisons;
    expect(summary(pair)).toEqual([
      ["ablation", "dropout/unet_2d_mdice/AdaDelta/fat_384x192x1/N48_E60_L4_FBL24", "Dropout: none vs 40%", ["2021-03-15 Dropout none", "2021-03-15 Dropout 40%"]],
    ]);
  });

  it("findComparisons(…) treats an explicit DR0 and a missing DR as the same value: repeats", () => {
    const paths = ["2021-01-01/m/d/m_Adam_d_N1_DR0.csv", "2021-01-02/m/d/m_Adam_d_N1.csv", "2021-01-03/m/d/m_Adam_d_N1_DR50.csv"];
    const { comparisons } = findComparisons(infos(paths), { params });
    expect(summary(comparisons)).toEqual([
      ["ablation", "dropout/m/Adam/d/N1", "Dropout: 0% vs 50%", ["2021-01-01 Dropout 0%", "2021-01-02 Dropout 0%", "2021-01-03 Dropout 50%"]],
      ["repeats", "repeats/m/Adam/d/N1_DR0", "Repeats: 2021-01-01, 2021-01-02", ["2021-01-01 2021-01-01", "2021-01-02 2021-01-02"]],
    ]);
  });

  it("findComparisons(…) shows runs identical but for the date as repeats, and inside the ablation they repeat", () => {
    const paths = ["2021-01-01/m/d/m_Adam_d_N10_E5_DR10.csv", "2021-02-01/m/d/m_Adam_d_N10_E5_DR10.csv", "2021-03-01/m/d/m_Adam_d_N20_E5_DR10.csv"];
    const { comparisons } = findComparisons(infos(paths), { params });
    expect(summary(comparisons)).toEqual([
      [
        "ablation",
        "samples/m/Adam/d/E5_DR10",
        "Training samples: 10 vs 20",
        ["2021-01-01 Training samples 10", "2021-02-01 Training samples 10", "2021-03-01 Training samples 20"],
      ],
      ["repeats", "repeats/m/Adam/d/N10_E5_DR10", "Repeats: 2021-01-01, 2021-02-01", ["2021-01-01 2021-01-01", "2021-02-01 2021-02-01"]],
    ]);
    expect(comparisons[0]!.values).toEqual(["Training samples 10", "Training samples 20"]);
  });

  it("findComparisons(…) compares datasets, orders numbers numerically and keeps unknown tokens fixed", () => {
    const paths = ["m/d1/m_SGD_d1_N9_bs8.csv", "m/d2/m_SGD_d2_N9_bs8.csv", "m/d1/m_SGD_d1_N10_bs8.csv", "m/d1/m_SGD_d1_N9_bs16.csv"];
    const { comparisons } = findComparisons(infos(paths), { params });
    expect(summary(comparisons)).toEqual([
      ["ablation", "dataset/m/SGD/N9_DR0_bs8", "Dataset: d1 vs d2", ["undefined d1", "undefined d2"]],
      ["ablation", "samples/m/SGD/d1/DR0_bs8", "Training samples: 9 vs 10", ["undefined Training samples 9", "undefined Training samples 10"]],
    ]);
  });

  it("findComparisons(…) ignores paths without grammar tokens: their folders are not settings", () => {
    const paths = ["lightning_logs/version_0/metrics.csv", "lightning_logs/version_1/metrics.csv", "runs/a/trainer_state.json", "runs/b/trainer_state.json"];
    expect(findComparisons(infos(paths), { params }).comparisons).toEqual([]);
  });

  it("findComparisons(…) does not depend on the order of its input", () => {
    const expected = findComparisons(infos(samplePaths), { params });
    fc.assert(
      fc.property(fc.shuffledSubarray([...samplePaths], { minLength: samplePaths.length }), (shuffled) => {
        expect(findComparisons(infos(shuffled), { params })).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it("findComparisons(…) gives colliding ids -2, -3 in a stable order", () => {
    const paths = ["m a/d/m a_SGD_d_N1.csv", "m a/d/m a_SGD_d_N2.csv", "m-a/d/m-a_SGD_d_N1.csv", "m-a/d/m-a_SGD_d_N2.csv"];
    const ids = findComparisons(infos(paths), { params }).comparisons.map((c) => c.id);
    expect(ids).toEqual(["model/SGD/d/N1_DR0", "model/SGD/d/N2_DR0", "samples/m-a/SGD/d/DR0", "samples/m-a/SGD/d/DR0-2"]);
  });
});

describe("findComparisons(…, {declared})", () => {
  it("findComparisons(…, {declared}) puts a declared comparison first, named, with the members its filter selects", () => {
    const config = normalizeConfig({
      comparisons: [
        { name: "Attention gates at 20 % dropout?", filter: { params: { DR: 20, E: 24 } }, vary: "model" },
        { name: "All 768×384 AdaDelta runs", filter: { dataset: "fat_768x384x1", optimizer: "AdaDelta" }, vary: "date" },
      ],
    });
    const { comparisons, diagnostics } = findComparisons(infos(samplePaths), { params: config.params, declared: config.comparisons });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: "runsite config", fatal: false, reason: 'comparison "Attention gates at 20 % dropout?" matches 1 experiment, so it has no page' });
    expect(summary(comparisons.filter((c) => c.kind === "declared"))).toEqual([
      [
        "declared",
        "named/All-768-384-AdaDelta-runs",
        "All 768×384 AdaDelta runs",
        ["2021-03-01 2021-03-01", "2021-03-02 2021-03-02", "2021-03-02 2021-03-02", "2021-03-10 2021-03-10", "2021-03-11 2021-03-11", "2021-03-12 2021-03-12"],
      ],
    ]);
    expect(comparisons.filter((c) => c.kind !== "declared")).toHaveLength(6);
  });

  it("findComparisons(…, {declared}) matches a missing token by its absent value or by null", () => {
    const declare = (filter: object) => normalizeConfig({ comparisons: [{ name: "n", filter: { dataset: "fat_384x192x1", ...filter }, vary: "optimizer" }] }).comparisons;
    const members = (declared: ReturnType<typeof declare>) =>
      findComparisons(infos(samplePaths), { params, declared })
        .comparisons.find((c) => c.kind === "declared")
        ?.members.map((m) => m.stem);
    expect(members(declare({ params: { DR: 0 } }))).toEqual(["unet_2d_mdice_AdaDelta_fat_384x192x1_N48_E60_L4_FBL24", "unet_2d_mdice_Adam_fat_384x192x1_N48_E300_L3_FBL8"]);
    expect(members(declare({ params: { DR: null } }))).toBeUndefined();
    const grammar = defaultParams.map(({ absent: _absent, ...p }) => p);
    const declared = declare({ params: { DR: null } });
    expect(findComparisons(infos(samplePaths, grammar), { params: grammar, declared }).comparisons[0]!.members).toHaveLength(2);
  });

  it("findComparisons(…, {declared}) warns when every member has the same value, and still builds the page", () => {
    const declared = normalizeConfig({ comparisons: [{ name: "same", filter: { date: "2021-03-15" }, vary: "optimizer" }] }).comparisons;
    const { comparisons, diagnostics } = findComparisons(infos(samplePaths), { params, declared });
    expect(comparisons[0]!.values).toEqual(["AdaDelta"]);
    expect(diagnostics.map((d) => d.reason)).toEqual(['comparison "same": all 2 experiments have the same optimizer']);
  });

  it("normalizeConfig({comparisons}) rejects an unknown field to vary and unknown filter tokens", () => {
    expect(() => normalizeConfig({ comparisons: [{ name: "x", vary: "dropout", filter: { params: { Q: 1 } } }] })).toThrowErrorMatchingInlineSnapshot(
      `[Error: runsite config: comparisons.0.vary: expected one of model, dataset, optimizer, date, N, E, L, FBL, DR, received "dropout"; comparisons.0.filter.params.Q: expected a key of the token grammar (N, E, L, FBL, DR), received "Q"]`,
    );
    expect(() => normalizeConfig({ comparisons: [{ name: "x", vary: "model", filter: { model: "m", epochs: 3 } }] })).toThrow(/comparisons\.0\.filter/);
    expect(normalizeConfig({}).comparisons).toEqual([]);
  });
});

describe("comparisonsByMember", () => {
  it("comparisonsByMember(comparisons) lists the groups each experiment belongs to, in their order", () => {
    const { comparisons } = findComparisons(infos(samplePaths), { params });
    const slug = parseExperimentPath(samplePaths[3]!).slug;
    expect(
      comparisonsByMember(comparisons)
        .get(slug)!
        .map((c) => c.vary),
    ).toEqual(["model", "optimizer", "DR"]);
    expect(comparisonsByMember(comparisons).get(parseExperimentPath(samplePaths[10]!).slug)).toBeUndefined();
    // The index agrees with a scan of every group's members, for every experiment.
    const bySlug = comparisonsByMember(comparisons);
    for (const file of samplePaths) {
      const s = parseExperimentPath(file).slug;
      expect(bySlug.get(s) ?? []).toEqual(comparisons.filter((c) => c.members.some((m) => m.slug === s)));
    }
  });
});
