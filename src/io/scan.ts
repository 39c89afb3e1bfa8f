import type { Dirent } from "node:fs";
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

/**
 * Files read whatever the configured extensions, by the names their tools
 * write (see docs/formats.md): Hugging Face states and summaries, TensorBoard
 * event files, JSON Lines logs (mmengine's `<timestamp>.json` too), Keras history dumps, Ludwig statistics, YOLO
 * `results.txt`, nnU-Net logs, and the hyperparameter files of a run.
 */
const alwaysRead =
  /^(trainer_state\.json|(all|train|eval|test|predict)_results\.json|events\.out\.tfevents\..+|metrics\.json|scalars\.json|.+\.log\.json|.+\.jsonl|training_statistics\.json|.*history.*\.json|\d{8}_\d{6}\.json|results\.txt|training_log_.+\.txt|args\.ya?ml|hparams\.ya?ml|opt\.ya?ml|hyp\.ya?ml)$/i;

/** What an MLflow run folder holds that runsite reads (`artifacts/` is the run's output, never a log). */
const mlflowParts = new Set(["meta.yaml", "metrics", "params", "tags"]);

/**
 * Lists the history files under `root` (by extension, case-insensitive, or
 * by the names tools write; every file of an MLflow run folder's
 * `metrics/`, `params/` and `tags/`),
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
  const walk = async (dir: string, mlflowRun = false): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      found.push({ file: relative(dir) || ".", path: dir, problem: `folder could not be listed: ${reason(error)}` });
      return;
    }
    // An MLflow run folder: meta.yaml beside metrics/. Its metric and param files have no extension.
    const isMlflowRun = entries.some((e) => e.name === "meta.yaml" && e.isFile()) && entries.some((e) => e.name === "metrics" && e.isDirectory());
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      if (isMlflowRun && !mlflowParts.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const target = await readlink(full).catch(() => "?");
        found.push({
          file: relative(full),
          path: full,
          problem: `symbolic link not followed (points to ${target}); link the files into the archive as copies, or point --runs at the target`,
        });
      } else if (entry.isDirectory()) await walk(full, mlflowRun || isMlflowRun);
      else if (entry.isFile() && (mlflowRun || isMlflowRun || wanted.has(path.extname(entry.name).toLowerCase()) || alwaysRead.test(entry.name))) {
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
