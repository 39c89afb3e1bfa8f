import type { Format } from "../history.ts";
import { sniffFormat } from "./registry.ts";

/**
 * Guesses the format of a history file from its first bytes (a few KB are
 * enough), content first, the file name only a hint: the first format of
 * the registry (`formats/registry.ts`) whose sniff accepts the content.
 * Returns `null` when none does; `sniffFormat` says which format came
 * closest and why.
 *
 * @param name The file's path or name, e.g. `runs/a/metrics.csv`.
 * @param head The start of the file, as bytes or text.
 */
export function detectFormat(name: string, head: Uint8Array | string): Format | null {
  return sniffFormat(name, head).format;
}
