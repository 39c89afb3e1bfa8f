import { z } from "zod";
import type { Diagnostic } from "./diagnostics.ts";
import { parseNameTable } from "./nameTable.ts";

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
  const { table, diagnostics } = parseNameTable(text, file, descriptionSchema, {
    shape: "descriptions must be a mapping from name to {label, description}",
    expected: "name: {label: …, description: …}",
    ruleId: "descriptions",
  });
  return { descriptions: table, diagnostics };
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
