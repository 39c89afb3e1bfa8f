import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseCitationCff, type ArchiveCff } from "../core/citationCff.ts";
import type { Diagnostic } from "../core/diagnostics.ts";
import type { Person } from "../core/people.ts";
import { archiveRepository, type ArchiveRepository } from "./provenance.ts";

/** Who and what an archive's citations name (see `readArchiveCitation`). */
export interface ArchiveCitation {
  /** The config's `author`, else the archive's CITATION.cff authors, else none. */
  authors: Person[];
  /** Where the authors come from: `"config"`, the CITATION.cff's path as shown, or `null` for none. */
  authorsFrom: string | null;
  /** The archive's own CITATION.cff, when there is one that parses. */
  cff: ArchiveCff | null;
  /** The git repository the runs are committed in, if any. */
  repository: ArchiveRepository | undefined;
  /** Problems in the archive's CITATION.cff. */
  diagnostics: Diagnostic[];
}

/**
 * Finds what an archive's citations name: the authors (`configured`, else
 * those of the first `CITATION.cff` in the runs folder, the root of its git
 * repository, or `root`, the folder runsite runs in) and the repository the
 * runs are committed in. Never throws.
 */
export async function readArchiveCitation(runsRoot: string, root: string, configured: readonly Person[] | undefined): Promise<ArchiveCitation> {
  const repository = await archiveRepository(runsRoot);
  const folders = [...new Set([runsRoot, ...(repository === undefined ? [] : [repository.root]), root].map((f) => path.resolve(f)))];
  let cff: ArchiveCff | null = null;
  let cffFile: string | null = null;
  const diagnostics: Diagnostic[] = [];
  for (const folder of folders) {
    const file = path.join(folder, "CITATION.cff");
    const text = await readFile(file, "utf8").catch(() => null);
    if (text === null) continue;
    const shown = path.relative(root, file).split(path.sep).join("/") || "CITATION.cff";
    const parsed = parseCitationCff(text, shown);
    diagnostics.push(...parsed.diagnostics);
    cff = parsed.value;
    cffFile = shown;
    break;
  }
  const fromCff = cff !== null && cff.authors.length > 0;
  return {
    authors: configured !== undefined ? [...configured] : fromCff ? cff!.authors : [],
    authorsFrom: configured !== undefined ? "config" : fromCff ? cffFile : null,
    cff,
    repository,
    diagnostics,
  };
}
