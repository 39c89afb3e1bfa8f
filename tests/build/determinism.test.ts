import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";
import { digestFolder } from "../support/digest.ts";

async function build(config: object, cwd?: string): Promise<{ cwd: string; files: Record<string, string>; summary: string }> {
  cwd ??= await tempDir();
  await writeFile(path.join(cwd, "runsite.config.json"), JSON.stringify(config));
  const result = await runCli(["build", "--runs", path.join(repoRoot, "runs"), "--content", path.join(repoRoot, "content"), "--out", "site"], cwd);
  expect(result.code, result.stderr).toBe(0);
  return { cwd, files: await digestFolder(path.join(cwd, "site")), summary: result.stdout.trim().split("\n").at(-1)! };
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
