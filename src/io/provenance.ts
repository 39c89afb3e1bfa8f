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
  if (commit === undefined) commits.set(dir, (commit = revParse(dir)));
  return commit;
}

const commits = new Map<string, Promise<string | undefined>>();

function revParse(dir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", ["rev-parse", "--verify", "--quiet", "HEAD"], { cwd: dir, timeout: 5000, windowsHide: true }, (error, stdout) => {
      const commit = stdout.trim();
      resolve(error === null && /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined);
    });
  });
}
