import { lstat, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SourceFile } from "../core/archive.ts";
import { compareStrings } from "../core/diagnostics.ts";

/** A file under the root whose extension marks it as a history. */
export interface FoundFile {
  /** Root-relative, forward slashes. */
  file: string;
  /** Absolute path. */
  path: string;
}

/** Files read whatever the configured extensions: Hugging Face and TensorBoard logs. */
const alwaysRead = /^(trainer_state\.json|events\.out\.tfevents\..+)$/;

/**
 * Lists the history files under `root` (by extension, case-insensitive),
 * sorted by relative path so builds do not depend on directory order.
 * Hidden folders (`.git`) are skipped; symbolic links are not followed.
 * Throws when the root itself does not exist: that is a usage error.
 */
export async function scanRuns(root: string, extensions: readonly string[]): Promise<FoundFile[]> {
  const stat = await lstat(root).catch(() => null);
  if (stat === null || !stat.isDirectory()) throw new Error(`runs folder not found: ${root}`);
  const wanted = new Set(extensions.map((e) => e.toLowerCase()));
  const found: FoundFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && (wanted.has(path.extname(entry.name).toLowerCase()) || alwaysRead.test(entry.name))) {
        found.push({ file: path.relative(root, full).split(path.sep).join("/"), path: full });
      }
    }
  };
  await walk(root);
  return found.sort((a, b) => compareStrings(a.file, b.file));
}

/** Reads found files; a file that cannot be read keeps its error. */
export async function readSources(files: readonly FoundFile[]): Promise<SourceFile[]> {
  return Promise.all(
    files.map(async (f) => {
      try {
        return { file: f.file, bytes: new Uint8Array(await readFile(f.path)) };
      } catch (error) {
        return { file: f.file, bytes: null, error: `file could not be read: ${(error as Error).message}` };
      }
    }),
  );
}
