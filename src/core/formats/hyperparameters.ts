import { LineCounter, parseDocument } from "yaml";
import type { Diagnostic } from "../diagnostics.ts";
import type { Hyperparameters } from "../history.ts";

type Value = string | number | boolean | null;

/**
 * Flattens nested objects into dotted keys (`{optimizer: {lr: 0.1}}` →
 * `optimizer.lr: 0.1`); lists become their JSON text, so nothing is lost.
 */
export function flatten(value: unknown, prefix = "", out: Record<string, Value> = {}): Record<string, Value> {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix === "" ? key : `${prefix}.${key}`, out);
    return out;
  }
  if (prefix === "") return out;
  if (value === null || value === undefined) out[prefix] = null;
  else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[prefix] = value;
  else if (value instanceof Date) out[prefix] = value.toISOString();
  else out[prefix] = JSON.stringify(value) ?? String(value);
  return out;
}

/**
 * Reads hyperparameters from a YAML file such as Ultralytics' `args.yaml` or
 * Lightning's `hparams.yaml`, flattened with dotted keys. Python-specific
 * tags (`!!python/object`, which Lightning writes for namespaces) are read
 * as plain data, never executed. A file that is not YAML is a warning.
 * Never throws.
 */
export function parseHyperparametersYaml(text: string, file: string): { value: Hyperparameters | null; diagnostics: Diagnostic[] } {
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, customTags: [], prettyErrors: false, logLevel: "silent", uniqueKeys: false });
    const error = doc.errors[0];
    if (error !== undefined) {
      const line = lineCounter.linePos(error.pos[0]).line;
      return {
        value: null,
        diagnostics: [{ file, line, reason: `hyperparameters not read: ${error.message.split("\n")[0]}`, expected: "a YAML mapping", fatal: false, ruleId: "yaml-syntax" }],
      };
    }
    const data: unknown = doc.toJS({ maxAliasCount: 100 });
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      return {
        value: null,
        diagnostics: [
          { file, line: 1, reason: "hyperparameters not read: the file is not a YAML mapping", expected: "key: value lines", fatal: false, ruleId: "yaml-not-mapping" },
        ],
      };
    }
    return { value: { source: file, values: flatten(data) }, diagnostics: [] };
  } catch (error) {
    return { value: null, diagnostics: [{ file, line: 1, reason: `hyperparameters not read: ${(error as Error).message}`, fatal: false, ruleId: "yaml-syntax" }] };
  }
}
