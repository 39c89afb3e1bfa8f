import { spawn } from "node:child_process";
import { copyFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "./fixtures.ts";

/**
 * The environment a user's shell would give runsite: this process's, less
 * what Vitest adds (NODE_ENV=test, VITEST*, and Vite's BASE_URL/MODE/DEV/PROD/SSR).
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const key of Object.keys(env)) if (/^(VITEST.*|NODE_ENV|BASE_URL|MODE|DEV|PROD|SSR|TEST)$/.test(key)) delete env[key];
  return env;
}

/** Runs `runsite <args>` the way a user does, in `cwd`; resolves with its exit code and output. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; signal?: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, "bin/runsite.mjs"), ...args], { cwd, env: { ...userEnv(), ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal === null ? -1 : null), signal, stdout, stderr }));
  });
}

/** A fresh temporary folder. */
export function tempDir(prefix = "runsite-test-"): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/**
 * Builds the sample archive (`runs/`, `content/`) with the CLI into a fresh
 * folder, as a user would, and fails the calling test when the build fails.
 * The folder gets a copy of the repository's `runsite.config.json`, the
 * sample's own settings (the seed's min_delta 0.005), as `npm run build` reads
 * it; the flags point runs and content back at the repository.
 */
export async function buildSample(args: string[] = []): Promise<{ cwd: string; dist: string; stdout: string }> {
  const cwd = await tempDir();
  await copyFile(path.join(repoRoot, "runsite.config.json"), path.join(cwd, "runsite.config.json"));
  const result = await runCli(["build", "--runs", path.join(repoRoot, "runs"), "--content", path.join(repoRoot, "content"), "--out", "site", ...args], cwd);
  if (result.code !== 0) throw new Error(`runsite build failed (${result.code}): ${result.stderr}`);
  return { cwd, dist: path.join(cwd, "site"), stdout: result.stdout };
}
