import path from "node:path";
import * as pagefind from "pagefind";

/**
 * The pages searched: experiments, notes, bibliography and the date, model and
 * dataset pages. Comparison pages are left out: they repeat their members'
 * names (a search for "dropout" would list hundreds of groups before a run),
 * and on a large archive they outnumber the experiments (6 000 groups for
 * 10 000 runs), doubling the time Pagefind takes. Within a page, the numeric
 * tables and the citation block are marked `data-pagefind-ignore`.
 */
export const searchedPages = "{experiments,notes,bibliography,dates,projects,models,datasets}/**/*.html";

/**
 * Writes the Pagefind full-text index of a built site into `<outDir>/pagefind/`:
 * the experiments, notes and bibliography, searchable offline in the browser.
 * Returns the number of pages indexed and Pagefind's errors (none expected).
 */
export async function writeSearchIndex(outDir: string): Promise<{ pages: number; errors: string[] }> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" });
  if (index === undefined) return { pages: 0, errors };
  try {
    const added = await index.addDirectory({ path: outDir, glob: searchedPages });
    const written = await index.writeFiles({ outputPath: path.join(outDir, "pagefind") });
    return { pages: added.page_count, errors: [...errors, ...added.errors, ...written.errors] };
  } finally {
    await pagefind.close();
  }
}
