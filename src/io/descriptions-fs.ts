import { readFile } from "node:fs/promises";
import path from "node:path";
import { descriptionKinds, emptyDescriptions, parseDescriptions, type Descriptions } from "../core/descriptions.ts";
import type { Diagnostic } from "../core/diagnostics.ts";

/**
 * Reads `labels/models.yml`, `labels/datasets.yml` and `labels/optimizers.yml`
 * under `contentRoot`. A missing file is an empty table (every name shows as
 * itself); diagnostics name files relative to `root`.
 */
export async function readDescriptions(contentRoot: string, root: string): Promise<{ descriptions: Descriptions; diagnostics: Diagnostic[] }> {
  const descriptions = emptyDescriptions();
  const diagnostics: Diagnostic[] = [];
  for (const kind of descriptionKinds) {
    const file = path.join(contentRoot, "labels", `${kind}.yml`);
    const text = await readFile(file, "utf8").catch(() => null);
    if (text === null) continue;
    const result = parseDescriptions(text, path.relative(root, file).split(path.sep).join("/"));
    descriptions[kind] = result.descriptions;
    diagnostics.push(...result.diagnostics);
  }
  return { descriptions, diagnostics };
}
