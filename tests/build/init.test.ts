import { cp, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";

describe("runsite init", () => {
  it("runsite init in a folder with no logs says so and still writes the scaffold, without asking", async () => {
    const cwd = await tempDir();
    const result = await runCli(["init"], cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^runsite init: no training logs found in runs\/ \(looked for runs, logs, /);
    expect((await readdir(cwd)).sort()).toEqual([".github", ".gitignore", "content", "runsite.config.json"]);
    expect(JSON.parse(await readFile(path.join(cwd, "runsite.config.json"), "utf8"))).toEqual({ title: `${path.basename(cwd)} experiments`, runs: "runs" });
    expect(await readFile(path.join(cwd, "content/labels/metrics.yml"), "utf8")).toContain("# No metrics found yet.");
  });

  it("runsite init DIR on the seed's tree detects its layout; run again, it overwrites nothing and adds only missing .gitignore lines", async () => {
    const cwd = await tempDir();
    await cp(path.join(repoRoot, "runs"), path.join(cwd, "lab", "run"), { recursive: true });
    const result = await runCli(["init", "lab"], cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('11 runs in run/ (11 files), 5 metrics; layout "{date}/{model}/{dataset}/{run}"');
    expect(JSON.parse(await readFile(path.join(cwd, "lab", "runsite.config.json"), "utf8"))).toMatchObject({ runs: "run", layout: "{date}/{model}/{dataset}/{run}" });
    // An existing file is never overwritten; .gitignore keeps its own lines and gets the missing ones.
    await writeFile(path.join(cwd, "lab", ".gitignore"), "node_modules/\n/dist/\n");
    const again = await runCli(["init", "lab"], cwd);
    expect(again.stdout).toContain("skipped runsite.config.json (exists)");
    expect(await readFile(path.join(cwd, "lab", ".gitignore"), "utf8")).toBe("node_modules/\n/dist/\n/.runsite-cache/\n");
  });
});
