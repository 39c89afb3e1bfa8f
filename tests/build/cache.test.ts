// The figure cache cannot go stale: it is keyed on runsite's code as
// installed (every file), the figure's options and the history, so a change
// to the drawing code or an option draws the figure anew.
import { spawn } from "node:child_process";
import { cp, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, userEnv } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";

const page = "experiments/2021-03-17/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_Adam_fat_384x192x1_N48_E300_L3_FBL8/index.html";

/** Runs `bin/runsite.mjs build` of the runsite copy in `code` from `cwd`. */
function build(code: string, cwd: string, args: string[] = []): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(code, "bin/runsite.mjs"), "build", "--runs", path.join(repoRoot, "runs"), "--content", path.join(repoRoot, "content"), "--out", "site", ...args],
      { cwd, env: userEnv() },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** The figure's panels as the page shows them (one SVG each). */
const figureOf = (html: string) => [...html.matchAll(/<svg[^>]*runsite-panel[\s\S]*?<\/svg>/g)].map((m) => m[0]).join("\n");

describe("the figure cache", () => {
  it("a change to runsite's drawing code, or to a drawing option, draws the figure anew (same folder, same cache)", async () => {
    // A copy of runsite whose code can change, with the repository's dependencies.
    const code = await tempDir("runsite-code-");
    for (const item of ["bin", "src", "public", "package.json"]) await cp(path.join(repoRoot, item), path.join(code, item), { recursive: true });
    await symlink(path.join(repoRoot, "node_modules"), path.join(code, "node_modules"), "dir");
    const cwd = await tempDir();
    await mkdir(cwd, { recursive: true });

    const first = await build(code, cwd);
    expect(first.code, first.out).toBe(0);
    const before = figureOf(await readFile(path.join(cwd, "site", page), "utf8"));
    expect(before).toContain("#ff725c");

    // The drawing code changes: validation lines in another colour.
    const figures = path.join(code, "src/core/figureLayout.ts");
    await writeFile(figures, (await readFile(figures, "utf8")).replace('validation: "#ff725c"', 'validation: "#e04f3b"'));
    const second = await build(code, cwd);
    expect(second.code, second.out).toBe(0);
    const after = figureOf(await readFile(path.join(cwd, "site", page), "utf8"));
    expect(after).toContain("#e04f3b");
    expect(after).not.toContain("#ff725c");

    // A drawing option changes (the patience drawn): the figure is drawn again, and differs.
    await writeFile(path.join(cwd, "runsite.config.json"), JSON.stringify({ earlyStopping: { patience: 10 } }));
    const third = await build(code, cwd);
    expect(third.code, third.out).toBe(0);
    const linear = figureOf(await readFile(path.join(cwd, "site", page), "utf8"));
    expect(linear).not.toBe(after);
  }, 300_000);
});
