import { parseDocument } from "yaml";
import { z } from "zod";
import type { Diagnostic } from "./diagnostics.ts";
import { lineAt } from "./labels.ts";

/** What a description table (`content/labels/models.yml`, …) says about one name. */
export interface Description {
  /** Short display name (optional; the name itself when absent). */
  label?: string | undefined;
  /** One sentence saying what the name stands for (optional). */
  description?: string | undefined;
}

/** Name (as in the run tree, e.g. `unet_2d_mdice`) → its description. */
export type DescriptionTable = Record<string, Description>;

/** The kinds of names the archive describes, each from `content/labels/<kind>.yml`. */
export const descriptionKinds = ["models", "datasets", "optimizers"] as const;

/** One of `models`, `datasets`, `optimizers`. */
export type DescriptionKind = (typeof descriptionKinds)[number];

/** The description tables of the archive, by kind; a missing file is an empty table. */
export type Descriptions = Record<DescriptionKind, DescriptionTable>;

/** Descriptions with every table empty: every name shows as itself. */
export function emptyDescriptions(): Descriptions {
  return { models: {}, datasets: {}, optimizers: {} };
}

const descriptionSchema = z
  .object({
    label: z.string().min(1).optional(),
    description: z.string().min(1).optional(),
  })
  .strict();

/**
 * Parses a description table (YAML: `name: {label, description}`; a bare
 * string is a label, as in `metrics.yml`). Entries that do not fit are
 * reported with their line and left out; the rest are kept. Never throws.
 *
 * @example parseDescriptions("Adam:\n  description: Adaptive moments.\n", "content/labels/optimizers.yml")
 */
export function parseDescriptions(text: string, file: string): { descriptions: DescriptionTable; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const descriptions: DescriptionTable = {};
  const doc = parseDocument(text, { prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 0 : lineAt(text, offset));
  for (const error of doc.errors) {
    diagnostics.push({ file, line: lineOf(error.pos[0]), reason: `invalid YAML: ${error.message.split("\n")[0]}`, fatal: false, ruleId: "yaml" });
  }
  if (doc.errors.length > 0) return { descriptions, diagnostics };
  const root: unknown = doc.toJS();
  if (root === null || root === undefined) return { descriptions, diagnostics };
  if (typeof root !== "object" || Array.isArray(root)) {
    diagnostics.push({ file, line: 1, reason: "descriptions must be a mapping from name to {label, description}", expected: "name: {label: …, description: …}", actual: Array.isArray(root) ? "a list" : typeof root, fatal: false, ruleId: "descriptions-shape" });
    return { descriptions, diagnostics };
  }
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    const result = descriptionSchema.safeParse(typeof value === "string" ? { label: value } : value);
    if (result.success) {
      descriptions[name] = result.data;
      continue;
    }
    const node = doc.get(name, true) as { range?: [number, number, number] } | undefined;
    // `doc.get` returns the value node; a null value (`name:` alone) has none, so fall back to the key.
    const offset = node?.range?.[0] ?? keyOffset(text, name);
    for (const issue of result.error.issues) {
      diagnostics.push({ file, line: lineOf(offset), column: [name, ...issue.path.map(String)].join("."), reason: `${issue.message}; entry left out`, fatal: false, ruleId: "descriptions-entry" });
    }
  }
  return { descriptions, diagnostics };
}

function keyOffset(text: string, name: string): number | undefined {
  const at = text.search(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`, "m"));
  return at >= 0 ? at : undefined;
}

/**
 * The description of a name: an exact entry, else one that differs only in
 * case (optimizers are written `AdaDelta` in one archive and `adadelta` in
 * another), else the name itself with no description.
 */
export function describe(name: string, table: DescriptionTable): { label: string; description?: string | undefined } {
  const entry = table[name] ?? Object.entries(table).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  return { label: entry?.label ?? name, description: entry?.description };
}
