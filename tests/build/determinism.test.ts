import { createHash } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";

/** Every file of a built site with the SHA-256 of its bytes. */
async function digest(dist: string): Promise<Record<string, string>> {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  const out: Record<string, string> = {};
  for (const e of entries.filter((e) => e.isFile()).sort((a, b) => (a.parentPath + a.name < b.parentPath + b.name ? -1 : 1))) {
    const file = path.join(e.parentPath, e.name);
    out[path.relative(dist, file)] = createHash("sha256")
      .update(await readFile(file))
      .digest("hex");
  }
  return out;
}

async function build(config: object, cwd?: string): Promise<{ cwd: string; files: Record<string, string>; summary: string }> {
  cwd ??= await tempDir();
  await writeFile(path.join(cwd, "runsite.config.json"), JSON.stringify(config));
  const result = await runCli(["build", "--runs", path.join(repoRoot, "runs"), "--content", path.join(repoRoot, "content"), "--out", "site"], cwd);
  expect(result.code, result.stderr).toBe(0);
  return { cwd, files: await digest(path.join(cwd, "site")), summary: result.stdout.trim().split("\n").at(-1)! };
}

describe("deterministic output", () => {
  it("two builds, with 0 and 2 figure workers, cold and warm cache, write byte-identical sites", async () => {
    const serial = await build({ workers: 0 });
    const parallel = await build({ workers: 2 });
    const warm = await build({ workers: 2 }, parallel.cwd);
    expect(Object.keys(serial.files).length).toBeGreaterThan(60);
    expect(parallel.files).toEqual(serial.files);
    expect(warm.files).toEqual(serial.files);
  }, 240_000);
});
