import { readdir, readFile, readlink, stat } from "node:fs/promises";
import path from "node:path";
import type { SourceFile } from "../core/archive.ts";
import { compareStrings } from "../core/diagnostics.ts";
import { mapLimit } from "./limit.ts";

/** An entry under the root: a history file, or something that could not be followed or listed. */
export interface FoundFile {
  /** Root-relative, forward slashes. */
  file: string;
  /** Absolute path. */
  path: string;
  /** Why the entry is not read (a symbolic link, an unreadable folder); absent for a file to read. */
  problem?: string;
}

/** Files read whatever the configured extensions: Hugging Face and TensorBoard logs. */
const alwaysRead = /^(trainer_state\.json|events\.out\.tfevents\..+)$/;

/**
 * Lists the history files under `root` (by extension, case-insensitive),
 * sorted by relative path so builds do not depend on directory order.
 * Hidden entries (`.git`) are skipped. Symbolic links are never followed (a
 * link may leave the archive or loop): each is listed with a `problem`, as is
 * a folder that cannot be listed. Throws when the root itself is not a
 * folder: that is a usage error.
 */
export async function scanRuns(root: string, extensions: readonly string[]): Promise<FoundFile[]> {
  const rootStat = await stat(root).catch(() => null);
  if (rootStat === null || !rootStat.isDirectory()) throw new Error(`runs folder not found: ${root}`);
  const wanted = new Set(extensions.map((e) => e.toLowerCase()));
  const found: FoundFile[] = [];
  const relative = (full: string) => path.relative(root, full).split(path.sep).join("/");
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      found.push({ file: relative(dir) || ".", path: dir, problem: `folder could not be listed: ${reason(error)}` });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const target = await readlink(full).catch(() => "?");
        found.push({ file: relative(full), path: full, problem: `symbolic link not followed (points to ${target}); link the files into the archive as copies, or point --runs at the target` });
      } else if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && (wanted.has(path.extname(entry.name).toLowerCase()) || alwaysRead.test(entry.name))) {
        found.push({ file: relative(full), path: full });
      }
    }
  };
  await walk(root);
  return found.sort((a, b) => compareStrings(a.file, b.file));
}

/**
 * Reads found files, at most `concurrency` at a time (an archive of 10 000
 * runs must not open 10 000 files at once). A file larger than `maxBytes`, or
 * one that cannot be read (deleted since the scan, permission denied), keeps
 * its reason instead of bytes.
 */
export async function readSources(files: readonly FoundFile[], { maxBytes = Infinity, concurrency = 32 } = {}): Promise<SourceFile[]> {
  return mapLimit(files, concurrency, (file) => readSource(file, maxBytes));
}

async function readSource(f: FoundFile, maxBytes: number): Promise<SourceFile> {
  if (f.problem !== undefined) return { file: f.file, bytes: null, error: f.problem };
  try {
    const { size } = await stat(f.path);
    if (size > maxBytes) {
      return { file: f.file, bytes: null, error: `file is ${megabytes(size)}, larger than the limit of ${megabytes(maxBytes)} (raise maxFileSize in the config to read it)` };
    }
    return { file: f.file, bytes: new Uint8Array(await readFile(f.path)) };
  } catch (error) {
    return { file: f.file, bytes: null, error: `file could not be read: ${reason(error)}` };
  }
}

/** A file-system error in words, without the absolute path Node puts in its message. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "it no longer exists (deleted after the scan?)";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  if (code === "ELOOP") return "too many symbolic links";
  return code ?? (error as Error).message;
}

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 3 : 1)} MiB`;
}
