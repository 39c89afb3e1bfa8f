import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { digestFolder } from "../support/digest.ts";
import { repoRoot } from "../support/fixtures.ts";

async function build(cwd: string, out: string): Promise<string> {
  const result = await runCli(["build", "--runs", "runs", "--content", "content", "--out", out], cwd);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split("\n").at(-1)!;
}

const run = "2021-03-10/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24.csv";
const untouched = "compare/dropout/unet_2d_mdice/AdaDelta/fat_384x192x1/N48_E60_L4_FBL24/index.html";

describe("comparisonsDrawAtBuild in incremental builds", () => {
  it("when the archive grows past the threshold, a rebuild turns every comparison page into a section drawn in the browser, as a full build does", async () => {
    const cwd = await tempDir();
    await cp(path.join(repoRoot, "runs"), path.join(cwd, "runs"), { recursive: true });
    await cp(path.join(repoRoot, "content"), path.join(cwd, "content"), { recursive: true });
    const config = JSON.parse(await readFile(path.join(repoRoot, "runsite.config.json"), "utf8")) as object;
    // The sample's six comparisons, all drawn at build time.
    await writeFile(path.join(cwd, "runsite.config.json"), JSON.stringify({ ...config, comparisonsDrawAtBuild: 6 }));
    await build(cwd, "site");
    expect(await readFile(path.join(cwd, "site", untouched), "utf8")).toContain("runsite-panel");

    // The same run repeated a day later: a seventh comparison (repeats), one past the threshold.
    const repeat = path.join(cwd, "runs", run.replace("2021-03-10", "2021-03-11"));
    await mkdir(path.dirname(repeat), { recursive: true });
    await cp(path.join(cwd, "runs", run), repeat);
    // Incremental: the pages of runs outside the new comparisons are kept.
    expect(await build(cwd, "site")).toMatch(/, 6 pages written \(6 unchanged, kept\), /);
    // Its page now sends the reader to its section of the ablations' page, which the browser draws.
    expect(await readFile(path.join(cwd, "site", untouched), "utf8")).toContain(
      `<meta http-equiv="refresh" content="0; url=/compare/ablations/#${path.dirname(untouched).slice("compare/".length)}">`,
    );
    const ablations = await readFile(path.join(cwd, "site", "compare/ablations/index.html"), "utf8");
    expect(ablations).toContain("data-comparison-figure");
    expect(ablations).not.toContain("runsite-panel");
    await build(cwd, "fresh");
    expect(await digestFolder(path.join(cwd, "site"))).toEqual(await digestFolder(path.join(cwd, "fresh")));
  }, 240_000);
});
