import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildArchive } from "../../src/core/archive.ts";
import type { Config } from "../../src/core/config.ts";
import { emptyDescriptions, parseDescriptions, type Descriptions } from "../../src/core/descriptions.ts";
import { parseMetricLabels } from "../../src/core/labels.ts";
import { repoRoot } from "./fixtures.ts";

/** The sample archive (`runs/`) built by the pure core with `config`, with the repository's metric labels and descriptions. */
export function loadSampleArchive(config: Config) {
  const runs = path.join(repoRoot, "runs");
  const files = readdirSync(runs, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".csv"))
    .map((f) => f.split(path.sep).join("/"))
    .sort();
  const labels = parseMetricLabels(readFileSync(path.join(repoRoot, "content/labels/metrics.yml"), "utf8"), "metrics.yml").labels;
  const { experiments } = buildArchive(
    files.map((file) => ({ file, bytes: readFileSync(path.join(runs, file)) })),
    config,
    labels,
  );
  const descriptions: Descriptions = emptyDescriptions();
  for (const kind of ["models", "datasets", "optimizers"] as const) {
    descriptions[kind] = parseDescriptions(readFileSync(path.join(repoRoot, "content/labels", `${kind}.yml`), "utf8"), kind).descriptions;
  }
  return { runs, files, labels, experiments, descriptions };
}
