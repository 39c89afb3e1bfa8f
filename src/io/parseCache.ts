import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import type { RunMemo, RunRead } from "../core/archive.ts";
import type { RunUnit } from "../core/runUnits.ts";

/**
 * Runs read by the previous build, so that a rebuild after one file changed
 * parses that file only (a 10 000-run archive took ~3 s to parse). A run is
 * found again by a key over everything its reading depends on: runsite's code
 * as installed (`salt`: `codeVersion()`, with the format settings of the
 * config), the run's kind and files, and the SHA-256 of each file's bytes. A
 * run with a file that could not be read is never kept. Entries are stored
 * serialised (`node:v8`), so what a build does with a run it got cannot reach
 * the cache. The file holds the runs of the last build only: runs that are
 * gone are dropped when it is written.
 */
export interface ParseCache {
  memo: RunMemo;
  /** How many runs were found in the cache, and how many read anew. */
  stats: () => { hits: number; misses: number };
  /** Writes the runs of this build, replacing the file atomically. */
  save: () => Promise<void>;
}

export async function openParseCache(file: string, hashes: ReadonlyMap<string, string>, salt: string): Promise<ParseCache> {
  const previous = await readFile(file).then(
    (bytes) => {
      try {
        const value = deserialize(bytes) as unknown;
        return value instanceof Map ? (value as Map<string, Uint8Array>) : new Map<string, Uint8Array>();
      } catch {
        // A cache written by another Node version or cut short: start afresh.
        return new Map<string, Uint8Array>();
      }
    },
    () => new Map<string, Uint8Array>(),
  );
  const current = new Map<string, Uint8Array>();
  let hits = 0;
  let misses = 0;
  const key = (unit: RunUnit): string | null => {
    const files = [...unit.histories, ...unit.hyperparameters, ...unit.summaries, ...unit.accounted].sort();
    const hash = createHash("sha256").update(salt).update("\u0000").update(unit.kind).update("\u0000").update(unit.key);
    for (const f of files) {
      const h = hashes.get(f);
      if (h === undefined) return null;
      hash.update(`\u0000${f}\u0000${h}`);
    }
    return hash.digest("hex");
  };
  const memo: RunMemo = {
    get(unit) {
      const k = key(unit);
      const bytes = k === null ? undefined : previous.get(k);
      if (k === null || bytes === undefined) {
        misses++;
        return undefined;
      }
      hits++;
      current.set(k, bytes);
      return deserialize(bytes) as RunRead;
    },
    set(unit, read) {
      const k = key(unit);
      if (k !== null) current.set(k, serialize(read));
    },
  };
  return {
    memo,
    stats: () => ({ hits, misses }),
    async save() {
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, serialize(current));
      await rename(temporary, file);
    },
  };
}
