import { describe, expect, it } from "vitest";
import { groupRunUnits } from "../../src/core/runUnits.ts";

describe("groupRunUnits", () => {
  it("groupRunUnits(files) makes an MLflow run folder one run, nested metric names included", () => {
    const units = groupRunUnits([
      "mlruns/1/abc/meta.yaml",
      "mlruns/1/abc/metrics/train/box_loss",
      "mlruns/1/abc/metrics/metrics/mAP50",
      "mlruns/1/abc/params/lr0",
      "mlruns/1/abc/tags/mlflow.runName",
    ]);
    expect(units).toEqual([
      {
        key: "mlruns/1/abc",
        kind: "mlflow",
        histories: ["mlruns/1/abc/metrics/metrics/mAP50", "mlruns/1/abc/metrics/train/box_loss", "mlruns/1/abc/params/lr0", "mlruns/1/abc/tags/mlflow.runName"],
        hyperparameters: [],
        summaries: [],
        accounted: ["mlruns/1/abc/meta.yaml"],
      },
    ]);
  });
  it("groupRunUnits(files) makes checkpoints of a Hugging Face output one run, read from the latest, with its summaries", () => {
    const units = groupRunUnits([
      "out/checkpoint-500/trainer_state.json",
      "out/checkpoint-1500/trainer_state.json",
      "out/checkpoint-1000/trainer_state.json",
      "out/all_results.json",
      "lone/eval_results.json",
    ]);
    expect(units).toEqual([
      { key: "lone", kind: "summary", histories: [], hyperparameters: [], summaries: ["lone/eval_results.json"], accounted: [] },
      {
        key: "out",
        kind: "huggingface",
        histories: ["out/checkpoint-1500/trainer_state.json"],
        hyperparameters: [],
        summaries: ["out/all_results.json"],
        accounted: ["out/checkpoint-1000/trainer_state.json", "out/checkpoint-500/trainer_state.json"],
      },
    ]);
  });
  it("groupRunUnits(files) makes Keras' train/ and validation/ event folders one run, also at the root of the scanned folder", () => {
    expect(groupRunUnits(["fit/20240101/train/events.out.tfevents.1.a.v2", "fit/20240101/validation/events.out.tfevents.1.b.v2"]).map((u) => [u.key, u.histories.length])).toEqual([
      ["fit/20240101", 2],
    ]);
    expect(groupRunUnits(["train/events.out.tfevents.1.a.v2", "validation/events.out.tfevents.1.b.v2"]).map((u) => [u.key, u.histories.length])).toEqual([[".", 2]]);
  });
  it("groupRunUnits(files) groups checkpoints at the root of the scanned folder as one run keyed by the root", () => {
    expect(groupRunUnits(["checkpoint-500/trainer_state.json", "checkpoint-1200/trainer_state.json"]).map((u) => [u.key, u.histories, u.accounted])).toEqual([
      [".", ["checkpoint-1200/trainer_state.json"], ["checkpoint-500/trainer_state.json"]],
    ]);
  });
  it("groupRunUnits(files) keeps a lone trainer_state.json file-shaped and prefers a final state over checkpoints", () => {
    expect(groupRunUnits(["a/trainer_state.json"]).map((u) => [u.key, u.histories])).toEqual([["a/trainer_state.json", ["a/trainer_state.json"]]]);
    expect(groupRunUnits(["b/trainer_state.json", "b/checkpoint-9/trainer_state.json"]).map((u) => [u.key, u.histories, u.accounted])).toEqual([
      ["b", ["b/trainer_state.json"], ["b/checkpoint-9/trainer_state.json"]],
    ]);
  });
  it("groupRunUnits(files) attaches args.yaml and hparams.yaml to the history in their folder, and keeps lone ones", () => {
    const units = groupRunUnits([
      "runs/detect/train2/results.csv",
      "runs/detect/train2/args.yaml",
      "lightning_logs/version_0/metrics.csv",
      "lightning_logs/version_0/hparams.yaml",
      "x/args.yaml",
    ]);
    expect(units.map((u) => [u.key, u.kind, u.histories, u.hyperparameters])).toEqual([
      ["lightning_logs/version_0/metrics.csv", "file", ["lightning_logs/version_0/metrics.csv"], ["lightning_logs/version_0/hparams.yaml"]],
      ["runs/detect/train2/results.csv", "file", ["runs/detect/train2/results.csv"], ["runs/detect/train2/args.yaml"]],
      ["x/args.yaml", "sidecar", [], ["x/args.yaml"]],
    ]);
  });
  it("groupRunUnits(files) reads a YOLOv5 run folder from results.txt: its event file is accounted to it, opt.yaml and hyp.yaml are hyperparameters", () => {
    const units = groupRunUnits([
      "runs/train/exp2/results.txt",
      "runs/train/exp2/events.out.tfevents.1607301301.host.873.0",
      "runs/train/exp2/opt.yaml",
      "runs/train/exp2/hyp.yaml",
    ]);
    expect(units).toEqual([
      {
        key: "runs/train/exp2/results.txt",
        kind: "file",
        histories: ["runs/train/exp2/results.txt"],
        hyperparameters: ["runs/train/exp2/hyp.yaml", "runs/train/exp2/opt.yaml"],
        summaries: [],
        accounted: ["runs/train/exp2/events.out.tfevents.1607301301.host.873.0"],
      },
    ]);
  });
  it("groupRunUnits(files) groups TensorBoard folders and nnU-Net folds, and puts every file in exactly one unit, whatever the order", () => {
    const files = [
      "tb/events.out.tfevents.1.a",
      "tb/events.out.tfevents.2.a",
      "Task1/nnUNetTrainer/fold_0/training_log_2021_1.txt",
      "Task1/nnUNetTrainer/fold_0/training_log_2021_2.txt",
      "k/log.csv",
      "tb/sub/events.out.tfevents.3.a",
    ];
    const units = groupRunUnits(files);
    expect(units.map((u) => [u.key, u.kind, u.histories.length])).toEqual([
      ["Task1/nnUNetTrainer/fold_0", "nnunet", 2],
      ["k/log.csv", "file", 1],
      ["tb", "tensorboard", 2],
      ["tb/sub", "tensorboard", 1],
    ]);
    const all = units.flatMap((u) => [...u.histories, ...u.hyperparameters, ...u.summaries, ...u.accounted]);
    expect(all.sort()).toEqual([...files].sort());
    expect(groupRunUnits([...files].reverse())).toEqual(units);
  });
});
