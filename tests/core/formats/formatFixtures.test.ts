import { readFileSync, statSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildArchive } from "../../../src/core/archive.ts";
import { normalizeConfig } from "../../../src/core/config.ts";
import { formatDiagnostic } from "../../../src/core/diagnostics.ts";
import { registry } from "../../../src/core/formats/registry.ts";
import { formats, type Format, type History } from "../../../src/core/history.ts";
import { parseHistory } from "../../../src/core/load.ts";
import { readSources, scanRuns } from "../../../src/io/scan.ts";
import { fixturePath } from "../../support/fixtures.ts";

/**
 * Every real fixture of tests/fixtures/formats (provenance in its MANIFEST.tsv):
 * the format it is read as, its series and points, and the kinds of
 * diagnostics it gives. The counts of 46 of them are checked against
 * counts.tsv, written by scripts/count-format-fixtures.py with Python's own
 * json and csv readers (the others — TensorBoard, nnU-Net, Lightning,
 * W&B exports — were checked by hand).
 */
const table: [file: string, format: Format | null, series: number, points: number, diagnostics: string[]][] = [
  ["simpletransformers/propaganda-detection_training_progress_scores.csv", "simpletransformers", 2, 20, []],
  ["yolo-results-txt/yolov5-wildfire-exp3_results.txt", "yolo-txt", 14, 4200, []],
  ["yolo-results-txt/yolov5-wildfire-exp_results.txt", "yolo-txt", 14, 42, []],
  ["yolo-results-txt/yolov7-soccer-exp_results.txt", "yolo-txt", 14, 770, []],
  ["simpletransformers/farsi-strongs-t5_training_progress_scores.csv", "simpletransformers", 2, 2, []],
  ["simpletransformers/nlp-bert-qa_training_progress_scores.csv", "simpletransformers", 5, 10, []],
  ["keras-history-json/dogs-vs-cats_cats_dogs.json", "keras-history", 4, 120, []],
  ["keras-history-json/covid-cnn_training_history.json", "keras-history", 4, 12, []],
  ["keras-history-json/glove-lstm_training_history.json", "keras-history", 5, 50, []],
  ["jsonlines-detectron2/detectron2-detection_metrics.json", "jsonl", 25, 267, []],
  ["jsonlines-detectron2/detectron2-training_metrics.json", "jsonl", 21, 315, ["restart"]],
  ["jsonlines-detectron2/medical-waste_metrics.json", "jsonl", 17, 3400, []],
  ["ludwig/qtypes_training_statistics.json", "ludwig", 15, 285, []],
  ["ludwig/ladybugs_training_statistics.json", "ludwig", 9, 900, []],
  ["ludwig/ludwig-homework_training_statistics.json", "ludwig", 12, 1200, []],
  ["hf-results/sentence-interpolation/all_results.json", "hf-summary", 0, 0, ["summary-only"]],
  ["hf-results/sentence-interpolation/eval_results.json", "hf-summary", 0, 0, ["summary-only"]],
  ["hf-results/sentence-interpolation/train_results.json", "hf-summary", 0, 0, ["summary-only"]],
  ["hf-results/sentence-interpolation/trainer_state.json", "huggingface", 8, 54, []],
  ["hf-results/transformer-ner/all_results.json", "hf-summary", 0, 0, ["summary-only"]],
  ["hf-results/transformer-ner/eval_results.json", "hf-summary", 0, 0, ["summary-only"]],
  ["hf-results/transformer-ner/train_results.json", "hf-summary", 0, 0, ["summary-only"]],
  ["hf-results/transformer-ner/predict_results.json", "hf-summary", 0, 0, ["summary-only"]],
  ["hf-results/qlora-fine-tune/all_results.json", "hf-summary", 0, 0, ["summary-only"]],
  ["hf-results/qlora-fine-tune/train_results.json", "hf-summary", 0, 0, ["summary-only"]],
  ["hf-results/qlora-fine-tune/trainer_state.json", "huggingface", 8, 35, []],
  ["mlflow/dan-irl-mlflow-testing/mlflow/596793538227028894/2131d384168c44b4ad18ca0899fcd51d/", "mlflow", 13, 65, []],
  ["mlflow/dan-irl-mlflow-testing/mlflow/596793538227028894/890944ee972d4dcb8524043a02d86eff/", "mlflow", 13, 26, []],
  ["mlflow/deepcnnclassifier/mlruns/0/cb0096518b0e4c66a94428555f05420b/", "mlflow", 2, 2, []],
  ["mlflow/imageclass/mlruns/586757370402886605/3a9af4bdab714eb69a4ed7582c387268/", "mlflow", 4, 4, []],
  ["keras-history-csv/hijaiyah-cnn_history.csv", "keras-history", 4, 8, []],
  ["keras-history-csv/aflw2000-landmarks_history.csv", "keras-history", 2, 40, []],
  ["jsonlines-wandb/mil-ucf_run-20191206_125957-prq2r2sp_wandb-history.jsonl", "jsonl", 4, 900, ["wandb-media"]],
  ["jsonlines-wandb/mil-ucf_run-20191205_140633-hkwref7f_wandb-history.jsonl", "jsonl", 3, 3, []],
  ["jsonlines-wandb/mil-ucf_run-20191205_140305-bwgxhymp_wandb-history.jsonl", null, 0, 0, ["empty-file"]],
  ["jsonlines-wandb/rl-implements_run-20200328_193057-1gjde6zk_wandb-history.jsonl", "jsonl", 6, 60, []],
  ["jsonlines-wandb/rl-implements_run-20200328_180258-c42sxbf6_wandb-history.jsonl", "jsonl", 6, 3000, ["wandb-media"]],
  ["jsonlines-mmdet/my-mmdet_fcos_20230302_173201.log.json", "jsonl", 9, 1512, []],
  ["jsonlines-mmdet/winycg-detection_faster_rcnn_20210812_190636.log.json", "jsonl", 10, 10, []],
  ["jsonlines-mmdet/zhaoyang97_fcos_20201017_104044.log.json", "jsonl", 15, 498, []],
  ["jsonlines-mmdet/zhaoyang97_voc_random_20201027_093617.log.json", "jsonl", 11, 1261, []],
  ["jsonlines-mmengine/event-yolo_20230805_113504_scalars.json", "jsonl", 15, 2205, []],
  ["jsonlines-mmengine/event-yolo_20230805_122442_scalars.json", "jsonl", 15, 726, []],
  ["jsonlines-mmengine/event-yolo_20230805_113307_scalars.json", "jsonl", 9, 54, []],
  ["jsonlines-mmengine/event-yolo_20230805_160636_test.json", "jsonl", 0, 0, ["summary-only"]],
  ["wandb-export/snet-analysis_train-ablation-test.csv", "wandb-export", 1, 254, []],
  ["wandb-export/snet-analysis_wandb_export.csv", "wandb-export", 2, 602, []],
  ["wandb-export/pyucea_wandb_export.csv", "wandb-export", 2, 1336, []],
  ["keras-history-json/maize-disease_training_history.json", "keras-history", 4, 40, []],
  ["keras-history-json/hdfc-lstm_training_history.json", "keras-history", 10, 245, ["unequal-lengths"]],
  ["keras-history-json/steganalysis_training_history.json", "keras-history", 9, 720, []],
  ["keras-history-json/steganalysis_finetune_history.json", "keras-history", 3, 60, []],
  ["keras-history-json/fer2013-effnet_v4_training_history.json", "keras-history", 4, 360, []],
  ["yolo-results-txt/yolov4-pytorch-exp_results.txt", "yolo-txt", 126, 378, []],
  ["nnunet/v1_tbone-ablation3_fold0_training_log_2021_4_29_01_44_41.txt", "nnunet", 21, 987, ["incomplete-epoch"]],
  ["nnunet/v1_tbone-ablation3_fold0_training_log_2021_4_29_08_45_13.txt", "nnunet", 21, 210, ["incomplete-epoch"]],
  ["nnunet/v1_tbone-task102_fold4_training_log_2021_4_25_17_37_11.txt", "nnunet", 21, 21, ["incomplete-epoch"]],
  ["nnunet/v1_tbone-ssm_fold0_training_log_2021_5_4_15_23_39.txt", "nnunet", 21, 3150, []],
  ["nnunet/v1_tbone-101_fold0_training_log_2022_4_10_10_08_37.txt", "nnunet", 0, 0, ["no-rows"]],
  ["nnunet/v2_kits23_fold0_training_log_2024_7_4_07_18_24.txt", "nnunet", 12, 1200, []],
  ["nnunet/v2_kits23_fold0_training_log_2024_7_4_07_14_24.txt", "nnunet", 0, 0, ["no-rows"]],
  ["jsonlines-mmengine/neurawns_exp002_20251009_094818.json", "jsonl", 10, 130, []],
  ["keras-history-csv/digit-recognition_training_history.csv", "keras-history", 5, 100, []],
  ["keras-history-csv/pneumonia-effnet_training_history.csv", "keras-history", 11, 110, []],
  ["lightning-hparams/ml-aos/lightning_logs/version_1/", "lightning", 4, 804, []],
  ["lightning-hparams/ml-aos/lightning_logs/version_2/", "lightning", 4, 636, []],
  ["lightning-hparams/waste-classification-cnn/lightning_logs/version_0/", "lightning", 2, 2, []],
  ["tensorboard-lightning/TFT-Prediction/lightning_logs/version_0/", "tensorboard", 2, 2, []],
  ["tensorboard-lightning/TFT-Prediction/lightning_logs/version_1/", null, 0, 0, ["no-scalars", "no-values"]],
  ["tensorboard-lightning/TFT-Prediction/lightning_logs/version_2/", "tensorboard", 2, 2, []],
  ["yolo-results-txt/torch-yolov3_results.txt", "yolo-txt", 14, 140, []],
  ["yolov5-run/runs/train/exp2/", "yolo-txt", 14, 42, []],
  ["hf-checkpoints/LoRA_RoBERTa_AGNews/results/", "huggingface", 9, 108, []],
];

/** Reads a fixture file with parseHistory, or a run folder the way the build does. */
async function readFixture(file: string): Promise<{ history: History | null; format: Format | null; ruleIds: string[]; messages: string[]; fatal: number }> {
  const full = fixturePath(`formats/${file}`);
  if (statSync(full).isDirectory()) {
    const archive = buildArchive(await readSources(await scanRuns(full, [".csv"])), normalizeConfig({}), {});
    const experiment = archive.experiments[0];
    const stops = new Set(experiment?.stops.diagnostics ?? []);
    const diagnostics = archive.problems.flatMap((p) => p.diagnostics).filter((d) => !stops.has(d));
    expect(archive.experiments.length).toBeLessThanOrEqual(1);
    return {
      history: experiment?.history ?? null,
      format: experiment?.history.format ?? null,
      ruleIds: diagnostics.map((d) => d.ruleId ?? ""),
      messages: diagnostics.map(formatDiagnostic),
      fatal: diagnostics.filter((d) => d.fatal).length,
    };
  }
  const result = parseHistory(new Uint8Array(readFileSync(full)), file);
  return {
    history: result.history,
    format: result.format,
    ruleIds: result.diagnostics.map((d) => d.ruleId ?? ""),
    messages: result.diagnostics.map(formatDiagnostic),
    fatal: result.diagnostics.filter((d) => d.fatal).length,
  };
}

describe("every fixture of tests/fixtures/formats reads into the series and points of the table", () => {
  it("the table agrees with counts.tsv, counted independently by scripts/count-format-fixtures.py", () => {
    const counts = readFileSync(fixturePath("formats/counts.tsv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split("\t"));
    expect(counts.length).toBeGreaterThan(40);
    for (const [file, series, points] of counts) {
      const row = table.find((t) => t[0] === file);
      expect([file, row?.[2], row?.[3]]).toEqual([file, Number(series), Number(points)]);
    }
  });
  it("the table lists every MANIFEST.tsv row", () => {
    const manifest = readFileSync(fixturePath("formats/MANIFEST.tsv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split("\t")[1]);
    expect(table.map((t) => t[0]).sort()).toEqual([...manifest].sort());
  });
  for (const [file, format, series, points, ruleIds] of table) {
    it(`${file} reads as ${format ?? "no history"}: ${series} series, ${points} points`, async () => {
      const read = await readFixture(file);
      expect(read.format).toBe(format);
      expect(read.history?.series.length ?? 0).toBe(series);
      expect(read.history?.series.reduce((n, s) => n + s.x.length, 0) ?? 0).toBe(points);
      expect([...new Set(read.ruleIds)]).toEqual(ruleIds);
      // Only an empty file is fatal: everything recognised reads, or is a warning (a summary, a log without training).
      expect(read.fatal).toBe(ruleIds.includes("empty-file") ? 1 : 0);
      for (const m of read.messages) expect(m).toMatch(/^[^:]+(:\d+)?: /);
      for (const s of read.history?.series ?? []) {
        expect(s.x.length).toBe(s.y.length);
        expect([...s.x].sort((a, b) => a - b)).toEqual(s.x);
      }
    });
  }
});

describe("the formats put the right axis and split on real files", () => {
  const series = async (file: string) => (await readFixture(file)).history!.series;
  it("a YOLOv7 results.txt: epochs as written from 0/54, GPU memory in GB as other, val losses as validation", async () => {
    const s = await series("yolo-results-txt/yolov7-soccer-exp_results.txt");
    const mem = s.find((x) => x.name === "gpu_mem")!;
    expect(mem).toMatchObject({ role: "other", axis: "epoch" });
    expect(mem.x[0]).toBe(0);
    expect(mem.x.at(-1)).toBe(54);
    expect(s.find((x) => x.name === "val/box_loss")).toMatchObject({ split: "validation", metric: "box_loss" });
  });
  it("an ultralytics/yolov3 results.txt: column 12 is F1 (2PR/(P+R) on every row), read as metrics/F1", async () => {
    const s = await series("yolo-results-txt/torch-yolov3_results.txt");
    expect(s.map((x) => x.name)).toContain("metrics/F1");
    expect(s.map((x) => x.name)).not.toContain("metrics/mAP_0.5:0.95");
    // Row 0/9: P 0.0202, R 0.336, F1 0.0381.
    expect(s.find((x) => x.name === "metrics/F1")!.y[0]).toBe(0.0381);
    expect(s.map((x) => x.name)).toContain("metrics/mAP");
  });
  it("a YOLOv4 results.txt with the same 3 epochs appended 9 times reads as 9 attempts", async () => {
    const { history } = await readFixture("yolo-results-txt/yolov4-pytorch-exp_results.txt");
    expect(history!.attempts.map((a) => [a.firstEpoch, a.lastEpoch, a.rows])).toEqual(Array.from({ length: 9 }, () => [0, 2, 3]));
  });
  it("detectron2 evaluation results (bbox/AP) are validation series at their iteration, bare NaN read as NaN", async () => {
    const s = await series("jsonlines-detectron2/detectron2-detection_metrics.json");
    const ap = s.find((x) => x.name === "bbox/AP")!;
    expect(ap).toMatchObject({ split: "validation", axis: "step" });
    expect(s.some((x) => x.y.some((v) => Number.isNaN(v)))).toBe(true);
  });
  it("Ludwig: old (train) and new (training) split names both give train, validation and test", async () => {
    for (const file of ["ludwig/qtypes_training_statistics.json", "ludwig/ladybugs_training_statistics.json"]) {
      expect(new Set((await series(file)).map((x) => x.split))).toEqual(new Set(["train", "validation", "test"]));
    }
  });
  it("MLflow: nested metric names keep their path, params are hyperparameters, mlflow.runName names the run", async () => {
    const { history } = await readFixture("mlflow/dan-irl-mlflow-testing/mlflow/596793538227028894/2131d384168c44b4ad18ca0899fcd51d/");
    expect(history!.series.map((x) => x.name)).toContain("train/box_loss");
    expect(history!.runName).toBe("sgdtest3");
    expect(Object.keys(history!.hyperparameters![0]!.values).length).toBe(105);
  });
  it("simpletransformers: global_step as x, eval_loss validation, train_loss train", async () => {
    const s = await series("simpletransformers/propaganda-detection_training_progress_scores.csv");
    expect(s.map((x) => [x.name, x.axis, x.split])).toEqual([
      ["eval_loss", "step", "validation"],
      ["train_loss", "step", "train"],
    ]);
  });
});

describe("the three other/ corpus files read", () => {
  for (const [name, format] of [
    ["detectron2_metrics_jsonl.json", "jsonl"],
    ["simpletransformers_progress.csv", "simpletransformers"],
    ["yolov7_results_headerless.txt", "yolo-txt"],
  ] as const) {
    it(`parseHistory(other/${name}) reads it as ${format} without problems`, () => {
      const result = parseHistory(new Uint8Array(readFileSync(fixturePath(`corpus/other/${name}`))), name);
      expect(result.format).toBe(format);
      expect(result.diagnostics).toEqual([]);
      expect(result.history!.series.length).toBeGreaterThan(1);
    });
  }
});

describe("when nothing matches, the message names the closest format", () => {
  it("parseHistory(a results.txt line of 14 fields) says it looks like a YOLO results.txt and names the line", () => {
    const line = "     0/299     7.37G    0.0681    0.6624   0.01544    0.7459        53       640 0.0008655   0.09174  0.000178 2.607e-05    0.1057   0.08323   0.01558";
    const text = `${line}\n${line}\n${line.replace(/ 0\.01558$/, "")}\n${line}\n`;
    const { diagnostics, history } = parseHistory(new TextEncoder().encode(text), "runs/train/exp/results.txt");
    expect(history).toBeNull();
    expect(formatDiagnostic(diagnostics[0]!)).toContain("looks like a YOLOv5 / YOLOv7 / ultralytics-yolov3 results.txt, but line 3 has 14 fields, expected 15");
  });
  it("parseHistory(free text, JSON) never says a CSV header is missing", () => {
    for (const text of ["hello world\nthis is not a log\n", '{"a": {"b": 1}}', "[1, 2"]) {
      const { diagnostics } = parseHistory(new TextEncoder().encode(text), "notes.txt");
      expect(diagnostics.some((d) => d.fatal)).toBe(true);
      for (const d of diagnostics) expect(d.reason).not.toMatch(/header/);
    }
  });
});

describe("bad input never throws", () => {
  const textFormats = formats.filter((f) => f !== "tensorboard");
  it("every format's parser on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom<Format | null>(null, ...formats), (bytes, format) => {
        const result = parseHistory(bytes, "x/file", format);
        for (const d of result.diagnostics) expect(d.line).toBeGreaterThanOrEqual(0);
      }),
      { seed: 13, numRuns: 600 },
    );
  });
  it("every format's parser on mutations of the real fixtures (cut, spliced, bytes replaced)", () => {
    const files = table.filter(([file]) => !file.endsWith("/")).map(([file]) => readFileSync(fixturePath(`formats/${file}`)).subarray(0, 6000));
    files.push(
      ...["detectron2_metrics_jsonl.json", "simpletransformers_progress.csv", "yolov7_results_headerless.txt"].map((n) =>
        readFileSync(fixturePath(`corpus/other/${n}`)).subarray(0, 6000),
      ),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...files),
        fc.nat(),
        fc.nat(),
        fc.uint8Array({ maxLength: 12 }),
        fc.constantFrom<Format | null>(null, ...textFormats),
        (bytes, a, b, insert, format) => {
          const cut = a % (bytes.length + 1);
          const resume = Math.min(bytes.length, cut + (b % 40));
          const mutated = new Uint8Array([...bytes.subarray(0, cut), ...insert, ...bytes.subarray(resume)]);
          parseHistory(mutated, "x/results.txt", format);
          parseHistory(mutated.subarray(0, cut), "x/metrics.json", format);
        },
      ),
      { seed: 13, numRuns: 400 },
    );
  });
  it("every registry sniff on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, text) => {
        for (const m of registry) m.sniff({ bytes: new TextEncoder().encode(text), text, name, fields: text.split(",") });
      }),
      { seed: 13, numRuns: 300 },
    );
  });
});
