import { parseDocument } from "yaml";
import type { z } from "zod";
import { lineAt, type Diagnostic } from "./diagnostics.ts";

/** How a YAML name table is described in its diagnostics. */
export interface NameTableOptions {
  /** What the mapping holds, e.g. `"labels must be a mapping from metric name to label"`. */
  shape: string;
  /** What a good entry looks like, e.g. `"name: {label: …}"`. */
  expected: string;
  /** Prefix of the rule ids, e.g. `"labels"` → `labels-shape`, `labels-entry`. */
  ruleId: string;
}

/**
 * Parses a YAML table `name: {…}` (a bare string is `{label: string}`) and
 * validates each entry with `schema`. Entries that do not fit are reported
 * with their line and left out; the rest are kept. Content problems are
 * warnings: the site is built and the names show as themselves. Never throws.
 */
export function parseNameTable<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  options: NameTableOptions,
): { table: Record<string, z.output<S>>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const table: Record<string, z.output<S>> = {};
  const doc = parseDocument(text, { prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 0 : lineAt(text, offset));
  for (const error of doc.errors) {
    diagnostics.push({ file, line: lineOf(error.pos[0]), reason: `invalid YAML: ${error.message.split("\n")[0]}`, fatal: false, ruleId: "yaml" });
  }
  if (doc.errors.length > 0) return { table, diagnostics };
  const root: unknown = doc.toJS();
  if (root === null || root === undefined) return { table, diagnostics };
  if (typeof root !== "object" || Array.isArray(root)) {
    diagnostics.push({
      file,
      line: 1,
      reason: options.shape,
      expected: options.expected,
      actual: Array.isArray(root) ? "a list" : typeof root,
      fatal: false,
      ruleId: `${options.ruleId}-shape`,
    });
    return { table, diagnostics };
  }
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    const result = schema.safeParse(typeof value === "string" ? { label: value } : value);
    if (result.success) {
      table[name] = result.data;
      continue;
    }
    const node = doc.get(name, true) as { range?: [number, number, number] } | undefined;
    // `doc.get` returns the value node; a null value (`name:` alone) has none, so fall back to the key.
    const offset = node?.range?.[0] ?? keyOffset(text, name);
    for (const issue of result.error.issues) {
      diagnostics.push({
        file,
        line: lineOf(offset),
        column: [name, ...issue.path.map(String)].join("."),
        reason: `${issue.message}; entry left out`,
        fatal: false,
        ruleId: `${options.ruleId}-entry`,
      });
    }
  }
  return { table, diagnostics };
}

function keyOffset(text: string, name: string): number | undefined {
  const at = text.search(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`, "m"));
  return at >= 0 ? at : undefined;
}
