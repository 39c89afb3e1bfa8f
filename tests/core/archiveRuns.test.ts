import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildArchive, downloads, type SourceFile } from "../../src/core/archive.ts";
import { normalizeConfig } from "../../src/core/config.ts";
import { fixturePath } from "../support/fixtures.ts";
import { encodeEvent, encodeVersionEvent, frameRecords } from "./formats/fixtures.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const fixture = (name: string) => new Uint8Array(readFileSync(fixturePath(name)));
const config = normalizeConfig({});

/** Real bytes of the kinds a run folder holds, plus broken ones. */
const contents: Record<string, (Uint8Array | null)[]> = {
  state: [fixture("formats/hf-results/qlora-fine-tune/trainer_state.json"), encode("{"), null],
  summary: [fixture("formats/hf-results/qlora-fine-tune/all_results.json"), encode("[1"), null],
  yaml: [fixture("formats/lightning-hparams/ml-aos/lightning_logs/version_1/hparams.yaml"), encode("a: [\n"), null],
  csv: [fixture("formats/lightning-hparams/ml-aos/lightning_logs/version_1/metrics.csv"), encode(""), null],
  metric: [encode("1700000000000 0.5 0\n1700000000001 0.4 1\n"), encode("garbage\n"), null],
  events: [fixture("corpus/tensorboard_events/events.out.tfevents.1795846952.vm.512.0"), new Uint8Array(), null],
  log: [
    fixture("formats/nnunet/v2_kits23_fold0_training_log_2024_7_4_07_14_24.txt"),
    encode("2021-01-01 00:00:00.000001: Epoch 0\n2021-01-01 00:00:00.000002: train_loss 0.5\n2021-01-01 00:00:00.000003: Epoch time: 1 s\n"),
    null,
  ],
};
const shapes: [string, keyof typeof contents][] = [
  ["out/checkpoint-5/trainer_state.json", "state"],
  ["out/checkpoint-10/trainer_state.json", "state"],
  ["out/all_results.json", "summary"],
  ["lone/eval_results.json", "summary"],
  ["lightning_logs/version_0/metrics.csv", "csv"],
  ["lightning_logs/version_0/hparams.yaml", "yaml"],
  ["x/args.yaml", "yaml"],
  ["mlruns/1/r/meta.yaml", "yaml"],
  ["mlruns/1/r/metrics/train/loss", "metric"],
  ["mlruns/1/r/params/lr", "metric"],
  ["tb/events.out.tfevents.1.a", "events"],
  ["tb/validation/events.out.tfevents.2.a", "events"],
  ["Task/fold_0/training_log_1.txt", "log"],
  ["Task/fold_0/training_log_2.txt", "log"],
];

describe("buildArchive on run folders", () => {
  it("buildArchive(any mix of run-folder files, readable or not) puts every file in a page or the problems: found = with page + without page", () => {
    fc.assert(
      fc.property(fc.subarray(shapes, { minLength: 1 }), fc.infiniteStream(fc.nat(2)), (chosen, picks) => {
        const it = picks[Symbol.iterator]();
        const files: SourceFile[] = chosen.map(([file, kind]) => {
          const bytes = contents[kind]![it.next().value as number]!;
          return bytes === null ? { file, bytes: null, error: "permission denied" } : { file, bytes };
        });
        const archive = buildArchive(files, config, {});
        const withPage = [...new Set(archive.experiments.flatMap((e) => [...e.sources, ...e.accounted]))];
        const withoutPage = archive.problems.filter((p) => p.fatal).map((p) => p.file);
        for (const e of archive.experiments) expect(new Set([...e.sources, ...e.accounted]).size).toBe(e.sources.length + e.accounted.length);
        expect(withPage.filter((f) => withoutPage.includes(f))).toEqual([]);
        expect([...withPage, ...withoutPage].sort()).toEqual(files.map((f) => f.file).sort());
        expect(archive.filesWithPage + withoutPage.length).toBe(archive.filesFound);
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it("buildArchive(Hugging Face checkpoints and a summary) makes one page from the latest checkpoint, showing the summary", () => {
    const state = contents["state"]![0]!;
    const archive = buildArchive(
      [
        { file: "out/checkpoint-5/trainer_state.json", bytes: encode('{"log_history": [{"loss": 1, "step": 1, "epoch": 0.1}]}') },
        { file: "out/checkpoint-10/trainer_state.json", bytes: state },
        { file: "out/all_results.json", bytes: contents["summary"]![0]! },
      ],
      config,
      {},
    );
    expect(archive.experiments).toHaveLength(1);
    const [e] = archive.experiments;
    expect(e!.info.file).toBe("out");
    expect(e!.sources).toEqual(["out/checkpoint-10/trainer_state.json", "out/all_results.json"]);
    expect(e!.accounted).toEqual(["out/checkpoint-5/trainer_state.json"]);
    expect(e!.history.series.length).toBe(8);
    expect(e!.history.summaries![0]).toMatchObject({ source: "out/all_results.json" });
    expect(archive.problems).toEqual([]);
  });

  it("buildArchive(a TensorBoard folder with an empty event file beside a good one) is one page with a warning", () => {
    const archive = buildArchive(
      [
        { file: "tb/events.out.tfevents.1.a", bytes: contents["events"]![0]! },
        { file: "tb/events.out.tfevents.2.a", bytes: new Uint8Array() },
      ],
      config,
      {},
    );
    expect(archive.experiments.map((e) => e.info.file)).toEqual(["tb"]);
    expect(archive.problems.map((p) => [p.file, p.fatal, p.diagnostics.map((d) => d.fatal)])).toEqual([["tb/events.out.tfevents.2.a", false, [false]]]);
  });

  it("buildArchive(a W&B chart export of 4 runs) makes 4 pages, each with the file as its source, and counts the file once", () => {
    const file = "wandb/export.csv";
    const archive = buildArchive([{ file, bytes: fixture("formats/wandb-export/snet-analysis_train-ablation-test.csv") }], config, {});
    expect(archive.experiments.map((e) => e.info.file)).toEqual([
      "wandb/export.csv/deep-forest-35",
      "wandb/export.csv/ethereal-eon-32",
      "wandb/export.csv/misunderstood-river-34",
      "wandb/export.csv/worthy-tree-28",
    ]);
    for (const e of archive.experiments) expect(e.sources).toEqual([file]);
    expect([archive.filesFound, archive.filesWithPage]).toEqual([1, 1]);
  });

  it("buildArchive(Keras' train/ and validation/ event folders) is one page: each folder's tags are named <folder>/<tag>, with its split", () => {
    const events = (values: number[]) => frameRecords([encodeVersionEvent(1), ...values.map((v, epoch) => encodeEvent(epoch, 10 + epoch, [["epoch_loss", v]]))]);
    const archive = buildArchive(
      [
        { file: "fit/1/train/events.out.tfevents.1.a.v2", bytes: events([0.25, 0.5]) },
        { file: "fit/1/validation/events.out.tfevents.1.b.v2", bytes: events([1.0, 0.75]) },
      ],
      config,
      {},
    );
    expect(archive.experiments.map((e) => e.info.file)).toEqual(["fit/1"]);
    const series = archive.experiments[0]!.history.series.filter((s) => s.role !== "other");
    expect(series.map((s) => [s.name, s.metric, s.split, s.y])).toEqual([
      ["train/epoch_loss", "epoch_loss", "train", [0.25, 0.5]],
      ["validation/epoch_loss", "epoch_loss", "validation", [1.0, 0.75]],
    ]);
  });

  it("downloads(experiment) names an MLflow run's files by their path in the run, so metrics/loss and params/loss stay apart", () => {
    const archive = buildArchive(
      [
        { file: "m/meta.yaml", bytes: encode("run_id: x\n") },
        { file: "m/metrics/loss", bytes: encode("1700000000000 0.5 0\n") },
        { file: "m/params/loss", bytes: encode("mse") },
      ],
      config,
      {},
    );
    const [e] = archive.experiments;
    expect(e!.history.hyperparameters).toEqual([{ source: "m/params", values: { loss: "mse" } }]);
    expect(downloads(e!).map((d) => d.path.replace(/^files\/[^/]+\//, ""))).toEqual(["metrics-loss", "params-loss"]);
  });
});
