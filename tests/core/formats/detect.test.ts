import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../src/core/formats/detect.ts";
import type { Format } from "../../../src/core/history.ts";
import { corpusBytes } from "./fixtures.ts";

const corpus: [string, Format | null][] = [
  ["lightning_metrics/bachelor_unsorted_header.csv", "lightning"],
  ["lightning_metrics/camels_lr_adam.csv", "lightning"],
  ["lightning_metrics/cvimg_test_row.csv", "lightning"],
  ["lightning_metrics/dental_sparse_small.csv", "lightning"],
  ["lightning_metrics/mnist_step_epoch_suffix.csv", "lightning"],
  ["ultralytics_results/yolo12_handraise_time.csv", "ultralytics"],
  ["ultralytics_results/yolo_pothole_seg_time.csv", "ultralytics"],
  ["ultralytics_results/yolov5_helmet_padded.csv", "ultralytics"],
  ["ultralytics_results/yolov8_fire_detect_padded.csv", "ultralytics"],
  ["ultralytics_results/yolov8_fruits_classify.csv", "ultralytics"],
  ["hf_trainer_state/lora_imdb_small.json", "huggingface"],
  ["hf_trainer_state/mt5_midrun_rouge.json", "huggingface"],
  ["hf_trainer_state/sentiment_eval_f1.json", "huggingface"],
  ["hf_trainer_state/t5sum_no_eval.json", "huggingface"],
  ["fastai_history/fastai_repo_rossmann_v1.csv", "fastai"],
  ["fastai_history/moodsic_nan_time.csv", "fastai"],
  ["fastai_history/retinopathy_repeated_header_na.csv", "fastai"],
  ["tensorboard_events/events.out.tfevents.1795846952.vm.512.0", "tensorboard"],
  ["other/detectron2_metrics_jsonl.json", "jsonl"],
  ["other/simpletransformers_progress.csv", "simpletransformers"],
  ["other/yolov7_results_headerless.txt", "yolo-txt"],
];

describe("detectFormat", () => {
  for (const [path, format] of corpus) {
    it(`detectFormat(name, head) reads ${path} as ${format}`, () => {
      const head = corpusBytes(path).subarray(0, 4096);
      expect(detectFormat(path, head)).toBe(format);
      // Content decides: a misleading name changes nothing.
      expect(detectFormat("x/unknown.bin", head)).toBe(format);
    });
  }

  it("detectFormat(name, head) reads epoch-first headers as keras, whatever the separator", () => {
    expect(detectFormat("training.log", "epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.5,1,0.5,1\r\n")).toBe("keras");
    expect(detectFormat("log.csv", "epoch;loss;val_loss\n")).toBe("keras");
    expect(detectFormat("h.tsv", "\uFEFFepoch\tacc\tloss\n")).toBe("keras");
  });

  it("detectFormat(name, head) uses the name history.csv to tell a fastai file without valid_loss from keras", () => {
    expect(detectFormat("run/history.csv", "epoch,train_loss,time\n0,0.5,00:10\n")).toBe("fastai");
    expect(detectFormat("run/log.csv", "epoch,train_loss,time\n0,0.5,00:10\n")).toBe("keras");
  });

  it("detectFormat(name, head) prefers lightning over ultralytics for train/ names with a step column", () => {
    expect(detectFormat("metrics.csv", "epoch,step,train/loss,val/loss\n")).toBe("lightning");
  });

  it("detectFormat(name, head) returns null for JSON without log_history and for empty input", () => {
    expect(detectFormat("trainer_state.json", '{"global_step": 3}')).toBeNull();
    expect(detectFormat("metrics.csv", "")).toBeNull();
    expect(detectFormat("events.out.tfevents.1", new Uint8Array())).toBeNull();
  });

  it("detectFormat(name, head) never throws on arbitrary text or bytes", () => {
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.string(), fc.uint8Array({ maxLength: 64 })), (name, head) => {
        detectFormat(name, head);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
