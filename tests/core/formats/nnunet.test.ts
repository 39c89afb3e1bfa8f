import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseNnUnet } from "../../../src/core/formats/nnunet.ts";
import { fixturePath } from "../../support/fixtures.ts";

const read = (name: string) => readFileSync(fixturePath(`formats/nnunet/${name}`), "utf8");

describe("parseNnUnet", () => {
  it("parseNnUnet(v1 log interrupted at epoch 47) reads epochs 0–46 and warns at the incomplete epoch's line", () => {
    const { history, diagnostics } = parseNnUnet(read("v1_tbone-ablation3_fold0_training_log_2021_4_29_01_44_41.txt"), "log.txt");
    const loss = history!.series.find((s) => s.name === "train_loss")!;
    expect(loss).toMatchObject({ axis: "epoch", split: "train", metric: "loss" });
    expect([loss.x[0], loss.x.at(-1), loss.x.length]).toEqual([0, 46, 47]);
    expect(diagnostics).toMatchObject([{ line: 745, fatal: false, ruleId: "incomplete-epoch" }]);
    expect(history!.series.find((s) => s.name === "lr")).toMatchObject({ role: "schedule" });
  });
  it("parseNnUnet(v2 log) reads train_loss, val_loss, pseudo dice (mean and per class) and the learning rate for 100 epochs", () => {
    const { history, diagnostics } = parseNnUnet(read("v2_kits23_fold0_training_log_2024_7_4_07_18_24.txt"), "log.txt");
    expect(diagnostics).toEqual([]);
    const dice = history!.series.find((s) => s.name === "pseudo_dice")!;
    expect(dice).toMatchObject({ split: "validation", axis: "epoch" });
    expect(dice.x).toHaveLength(100);
    // First epoch: "Pseudo dice [0.523, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]".
    expect(dice.y[0]).toBeCloseTo(0.523 / 7, 12);
    expect(history!.series.find((s) => s.name === "pseudo_dice_0")!.y[0]).toBe(0.523);
    expect(history!.series.find((s) => s.name === "lr")!.y[0]).toBe(0.01);
  });
  it("parseNnUnet(v2 line under NumPy 2) reads np.float32(…) class values", () => {
    const text = [
      "2025-01-01 10:00:00.000001: Epoch 0",
      "2025-01-01 10:00:01.000001: train_loss -0.1",
      "2025-01-01 10:00:01.000002: val_loss -0.2",
      "2025-01-01 10:00:01.000003: Pseudo dice [np.float32(0.5), np.float32(0.25)]",
      "2025-01-01 10:00:01.000004: Epoch time: 12.5 s",
      "",
    ].join("\n");
    const { history } = parseNnUnet(text, "log.txt");
    expect(history!.series.find((s) => s.name === "pseudo_dice")!.y).toEqual([0.375]);
    expect(history!.series.find((s) => s.name === "epoch_time")).toMatchObject({ role: "other", y: [12.5] });
  });
  it("parseNnUnet(a log without epochs) gives no history and only a warning", () => {
    const { history, diagnostics } = parseNnUnet(read("v2_kits23_fold0_training_log_2024_7_4_07_14_24.txt"), "log.txt");
    expect(history).toBeNull();
    expect(diagnostics.every((d) => !d.fatal)).toBe(true);
  });
});
