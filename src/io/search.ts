import path from "node:path";
import * as pagefind from "pagefind";

/**
 * Writes the Pagefind full-text index of a built site into `<outDir>/pagefind/`:
 * the experiments, notes and bibliography, searchable offline in the browser.
 * Returns the number of pages indexed and Pagefind's errors (none expected).
 */
export async function writeSearchIndex(outDir: string): Promise<{ pages: number; errors: string[] }> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" });
  if (index === undefined) return { pages: 0, errors };
  try {
    const added = await index.addDirectory({ path: outDir });
    const written = await index.writeFiles({ outputPath: path.join(outDir, "pagefind") });
    return { pages: added.page_count, errors: [...errors, ...added.errors, ...written.errors] };
  } finally {
    await pagefind.close();
  }
}
