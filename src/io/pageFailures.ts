import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { compareDiagnostics, type Diagnostic } from "../core/diagnostics.ts";
import { pageFailureDiagnostic, withPageFailures } from "../core/pageFailure.ts";
import type { Site } from "./loadSite.ts";

/**
 * The experiment pages that threw while rendered (see `astro/middleware.ts`),
 * as problems; once every page is written, they are added to the built
 * problems page (`outDir`: the folder of the archive's pages), which may have
 * been rendered before them. Nothing is written when no page failed.
 */
export async function listPageFailures(site: Site, outDir: string, base: string): Promise<Diagnostic[]> {
  const failures = [...site.pageFailures.values()];
  if (failures.length === 0) return [];
  // Astro's build.format "directory" (runsite's own) or "file"/"preserve".
  const candidates = [path.join(outDir, "problems", "index.html"), path.join(outDir, "problems.html")];
  const found = await Promise.all(
    candidates.map((file) =>
      readFile(file, "utf8").then(
        (html) => ({ file, html }),
        () => null,
      ),
    ),
  );
  const page = found.find((f) => f !== null);
  if (page === undefined) throw new Error(`the problems page is missing (looked for ${candidates.join(", ")})`);
  await writeFile(page.file, withPageFailures(page.html, failures, base));
  return failures.map(pageFailureDiagnostic).sort(compareDiagnostics);
}
