import { mkdir } from "node:fs/promises";
import path from "node:path";

/**
 * Runs `task` on every item, at most `concurrency` at a time (an archive of
 * 10 000 runs must not open 10 000 files at once), and returns the results in
 * the items' order.
 */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * Makes the parent folder of each file, once per folder (a `mkdir` per file
 * doubles the system calls of writing thousands of small files).
 */
export async function makeParentFolders(files: readonly string[], concurrency = 32): Promise<void> {
  await mapLimit([...new Set(files.map((file) => path.dirname(file)))], concurrency, (folder) => mkdir(folder, { recursive: true }));
}
