import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

/** SHA-256 of a file's bytes, lower-case hex; `undefined` when it cannot be read. */
export async function sha256File(file: string): Promise<string | undefined> {
  const bytes = await readFile(file).catch(() => null);
  return bytes === null ? undefined : createHash("sha256").update(bytes).digest("hex");
}

/**
 * The commit checked out in the git repository that holds `dir`
 * (`git rev-parse HEAD`); `undefined` when `dir` is not in a repository, git is
 * not installed, or the repository has no commit yet. Never throws.
 */
export function gitCommit(dir: string): Promise<string | undefined> {
  // One `git` process per folder and build: spawning one per page from a large
  // process cost ~180 ms each (docs/performance.md).
  let commit = commits.get(dir);
  if (commit === undefined)
    commits.set(
      dir,
      (commit = git(dir, ["rev-parse", "--verify", "--quiet", "HEAD"]).then((out) => (out !== undefined && /^[0-9a-f]{40,64}$/.test(out.trim()) ? out.trim() : undefined))),
    );
  return commit;
}

const commits = new Map<string, Promise<string | undefined>>();

/** The git repository an archive's runs are committed in (see `archiveRepository`). */
export interface ArchiveRepository {
  /** Absolute path of the repository's work tree. */
  root: string;
  /** The commit checked out (`HEAD`). */
  commit: string;
  /**
   * Files below the runs folder (runs-relative, `/`-separated) that the commit
   * holds as they are on disk: tracked, and neither modified nor staged.
   * Only these can be cited with the commit.
   */
  committed: ReadonlySet<string>;
}

/**
 * The repository that holds the runs folder `runsRoot`, with the commit
 * checked out and which of its files that commit holds unchanged; `undefined`
 * when the folder is in no repository (a copy of the runs somewhere else, even
 * inside runsite's own checkout's parent folders, is looked up from the runs
 * folder itself), git is missing or there is no commit. Variables such as
 * `GIT_DIR` that would point git at another repository are ignored. Never
 * throws; four git processes.
 */
export async function archiveRepository(runsRoot: string): Promise<ArchiveRepository | undefined> {
  const [root, commit] = await Promise.all([git(runsRoot, ["rev-parse", "--show-toplevel"]), gitCommit(runsRoot)]);
  if (root === undefined || commit === undefined) return undefined;
  const [tracked, changed] = await Promise.all([
    git(runsRoot, ["ls-files", "-z", "--cached", "--", "."]),
    git(runsRoot, ["diff", "--name-only", "--relative", "-z", "HEAD", "--", "."]),
  ]);
  if (tracked === undefined) return undefined;
  const dirty = new Set((changed ?? "").split("\0").filter(Boolean));
  const committed = new Set(tracked.split("\0").filter((f) => f !== "" && !dirty.has(f)));
  return { root: root.trim(), commit, committed };
}

/** Runs git in `cwd` with the environment's repository overrides removed; its stdout, or `undefined` on any failure. */
function git(cwd: string, args: string[]): Promise<string | undefined> {
  const env = { ...process.env };
  for (const key of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_PREFIX"]) delete env[key];
  return new Promise((resolve) => {
    execFile("git", args, { cwd, env, timeout: 10_000, windowsHide: true, maxBuffer: 256 * 2 ** 20 }, (error, stdout) => resolve(error === null ? stdout : undefined));
  });
}
