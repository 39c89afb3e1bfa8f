import { readFileSync } from "node:fs";
import path from "node:path";
import { parseKeras } from "../../src/core/formats/keras.ts";
import { parseMetricLabels } from "../../src/core/labels.ts";
import { repoRoot } from "./fixtures.ts";

/** Sample runs the figure tests draw, and the sample's metric labels. */
export const agRun = "runs/2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20.csv";
export const adamRun = "runs/2021-03-10/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_Adam_fat_768x384x1_N204_E24_L4_FBL24.csv";
export const labels = parseMetricLabels(readFileSync(path.join(repoRoot, "content/labels/metrics.yml"), "utf8"), "metrics.yml").labels;
export const load = (file: string) => parseKeras(readFileSync(path.join(repoRoot, file), "utf8"), file).history!;
