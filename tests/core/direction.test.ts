import { describe, expect, it } from "vitest";
import { metricDirection, nameDirection } from "../../src/core/direction.ts";

describe("metricDirection", () => {
  it("metricDirection(metric, table) takes the table's direction over the name", () => {
    expect(metricDirection("loss", { loss: { direction: "max" } })).toEqual({ mode: "max", source: "table" });
    expect(metricDirection("sdice", { sdice: { direction: "max" } })).toEqual({ mode: "max", source: "table" });
  });

  it("metricDirection(metric, table) falls back to the name when the entry has no direction", () => {
    expect(metricDirection("loss", { loss: {} })).toEqual({ mode: "min", source: "name" });
    expect(metricDirection("loss", { loss: { direction: undefined } })).toEqual({ mode: "min", source: "name" });
    expect(metricDirection("vsat_dice", {})).toEqual({ mode: "max", source: "name" });
  });

  it("metricDirection(metric, {}) is null when neither table nor name says", () => {
    expect(metricDirection("sdice", {})).toBe(null);
    expect(metricDirection("lr", {})).toBe(null);
    expect(metricDirection("epoch_time", {})).toBe(null);
  });

  it('metricDirection("constructor", {}) does not find Object\'s prototype', () => {
    expect(metricDirection("constructor", {})).toBe(null);
    expect(metricDirection("toString", {})).toBe(null);
  });
});

describe("nameDirection", () => {
  it.each([
    "loss",
    "val_loss",
    "mean_squared_error",
    "root_mean_squared_error",
    "mse",
    "MAE",
    "val_rmse",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "perplexity",
    "train/box_loss",
    "val/dfl_loss",
    "valLoss",
    "kl_divergence",
    "mape",
    "nll",
    "squared_hinge",
    "jaccard_distance",
  ])("nameDirection(%j) is min", (name) => {
    expect(nameDirection(name)).toBe("min");
  });

  it.each([
    "accuracy",
    "val_acc",
    "binary_accuracy",
    "sparse_top_k_categorical_accuracy",
    "acc5",
    "auc",
    "auc_1",
    "precision_2",
    "recall",
    "F1_score",
    "f1",
    "fbeta_score",
    "r2_score",
    "dice",
    "val_dice_coef",
    "background_dice",
    "iou",
    "mean_io_u",
    "one_hot_mean_io_u",
    "MeanIoU",
    "jaccard",
    "map",
    "metrics/mAP50-95(B)",
    "metrics/mAP50(B)",
    "metrics/precision(B)",
    "recall@5",
  ])("nameDirection(%j) is max", (name) => {
    expect(nameDirection(name)).toBe("max");
  });

  it.each(["maelstrom", "accelerate", "scores_seen", "mapping", "lossy", "erroneous", "sdice", "io", "u", "", "lr", "epoch", "f", "m_ae"])(
    "nameDirection(%j) is null: no whole token matches",
    (name) => {
      expect(nameDirection(name)).toBe(null);
    },
  );

  it("nameDirection(name) prefers min when a loss is named after a score", () => {
    expect(nameDirection("dice_loss")).toBe("min");
    expect(nameDirection("val_iou_loss")).toBe("min");
    expect(nameDirection("accuracy_error")).toBe("min");
  });
});
