import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseUltralytics } from "../../../src/core/formats/ultralytics.ts";
import { corpusText, seriesOf } from "./fixtures.ts";

const read = (name: string) => parseUltralytics(corpusText(`ultralytics_results/${name}`), `ultralytics_results/${name}`);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("parseUltralytics on the corpus", () => {
  it("parseUltralytics(text) trims padded YOLOv5 names and values, keeps 0-based epochs (yolov5_helmet_padded)", () => {
    const { history, diagnostics } = read("yolov5_helmet_padded.csv");
    expect(diagnostics).toEqual([]);
    expect(history?.columns[0]).toBe("epoch");
    expect(history?.series.map((s) => s.name)).toEqual([
      "train/box_loss",
      "train/obj_loss",
      "train/cls_loss",
      "metrics/precision",
      "metrics/recall",
      "metrics/mAP_0.5",
      "metrics/mAP_0.5:0.95",
      "val/box_loss",
      "val/obj_loss",
      "val/cls_loss",
      "x/lr0",
      "x/lr1",
      "x/lr2",
    ]);
    const map = seriesOf(history, "metrics/mAP_0.5:0.95");
    expect(map).toMatchObject({ split: "validation", metric: "mAP_0.5:0.95", axis: "epoch", role: "metric", x: range(0, 149) });
    expect([map.y[0], map.y.at(-1)]).toEqual([0.00018939, 0.49232]);
    expect(seriesOf(history, "train/box_loss")).toMatchObject({ split: "train", metric: "box_loss" });
    expect(seriesOf(history, "train/box_loss").y[0]).toBe(0.12278);
    expect(seriesOf(history, "x/lr0")).toMatchObject({ role: "schedule", split: "train" });
    expect([seriesOf(history, "x/lr0").y[0], seriesOf(history, "x/lr0").y.at(-1)]).toEqual([0.0937, 0.000232]);
  });

  it("parseUltralytics(text) reads early YOLOv8 padded results with lr/pg groups (yolov8_fire_detect_padded)", () => {
    const { history, diagnostics } = read("yolov8_fire_detect_padded.csv");
    expect(diagnostics).toEqual([]);
    expect(history?.series.length).toBe(13);
    const precision = seriesOf(history, "metrics/precision(B)");
    expect(precision).toMatchObject({ split: "validation", metric: "precision(B)", x: range(0, 24) });
    expect([precision.y[0], precision.y.at(-1)]).toEqual([0.1762, 0.82819]);
    expect(seriesOf(history, "lr/pg0")).toMatchObject({ role: "schedule" });
    expect(seriesOf(history, "lr/pg0").y[0]).toBe(0.070545);
  });

  it("parseUltralytics(text) reads time as role other and 8 lr groups, epochs from 1 (yolo_pothole_seg_time)", () => {
    const { history, diagnostics } = read("yolo_pothole_seg_time.csv");
    expect(diagnostics).toEqual([]);
    expect(history?.series.length).toBe(27);
    expect(history?.series.filter((s) => s.role === "schedule").map((s) => s.name)).toEqual(range(0, 7).map((i) => `lr/pg${i}`));
    expect(seriesOf(history, "time")).toMatchObject({ role: "other", x: range(1, 10) });
    expect([seriesOf(history, "time").y[0], seriesOf(history, "time").y.at(-1)]).toEqual([1281.61, 8969.45]);
    expect(seriesOf(history, "val/sem_loss").y).toEqual(Array(10).fill(0));
    expect(seriesOf(history, "metrics/mAP50-95(M)").y.at(-1)).toBe(0.42618);
  });

  it("parseUltralytics(text) reads classification results (yolov8_fruits_classify)", () => {
    const { history, diagnostics } = read("yolov8_fruits_classify.csv");
    expect(diagnostics).toEqual([]);
    expect(history?.series.map((s) => s.name)).toEqual(["train/loss", "metrics/accuracy_top1", "metrics/accuracy_top5", "val/loss", "lr/pg0", "lr/pg1", "lr/pg2"]);
    expect(seriesOf(history, "metrics/accuracy_top1")).toMatchObject({ split: "validation", metric: "accuracy_top1", x: range(1, 20) });
    expect(seriesOf(history, "val/loss").y.at(-1)).toBe(2.7829);
    expect(seriesOf(history, "lr/pg2").y.at(-1)).toBe(7.7826e-5);
  });

  it("parseUltralytics(text) reads 200 unpadded epochs with time (yolo12_handraise_time)", () => {
    const { history, diagnostics } = read("yolo12_handraise_time.csv");
    expect(diagnostics).toEqual([]);
    expect(history?.series.length).toBe(14);
    expect(history?.attempts).toEqual([{ index: 0, line: 2, firstEpoch: 1, lastEpoch: 200, rows: 200 }]);
    expect(seriesOf(history, "time").y.at(-1)).toBe(10832.4);
    expect(seriesOf(history, "metrics/mAP50(B)").y[0]).toBe(0.22955);
  });
});

describe("parseUltralytics on small inputs", () => {
  it("parseUltralytics(text) reads nan and inf as non-finite values", () => {
    const { history } = parseUltralytics("epoch,train/box_loss\n0,nan\n1,-inf\n", "r.csv");
    expect(seriesOf(history, "train/box_loss").y).toEqual([NaN, -Infinity]);
  });

  it("parseUltralytics(text) records a resume and keeps the later rows", () => {
    const { history } = parseUltralytics("epoch,val/loss\n1,0.9\n2,0.8\n3,0.7\n2,0.5\n3,0.4\n", "r.csv");
    expect(history?.resumes).toEqual([{ attempt: 0, epoch: 2, line: 5 }]);
    expect(seriesOf(history, "val/loss")).toMatchObject({ x: [1, 2, 3], y: [0.9, 0.5, 0.4] });
  });

  it("parseUltralytics(text) reports a ragged row by line", () => {
    const { diagnostics } = parseUltralytics("epoch,val/loss\n1,0.9\n2\n", "r.csv");
    expect(diagnostics).toMatchObject([{ line: 3, fatal: false, ruleId: "ragged-row" }]);
  });

  it("parseUltralytics(text) is fatal on the headerless YOLOv7 results.txt (other/yolov7_results_headerless)", () => {
    const { history, diagnostics } = parseUltralytics(corpusText("other/yolov7_results_headerless.txt"), "results.txt");
    expect(history).toBeNull();
    expect(diagnostics).toMatchObject([{ line: 1, fatal: true, ruleId: "no-epoch-column" }]);
  });

  it("parseUltralytics(text) never throws on arbitrary text", () => {
    const text = fc.oneof(
      fc.string(),
      fc.array(fc.constantFrom("epoch", " ", "train/loss", ",", "\n", "1", "0", "nan", '"'), { maxLength: 40 }).map((a) => a.join("")),
    );
    fc.assert(
      fc.property(text, (t) => {
        parseUltralytics(t, "r.csv");
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
