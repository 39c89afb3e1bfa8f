// A build you can trust: killed or failed, it leaves the previous site as it
// was; one figure that cannot be drawn costs that figure, not the build.
import { cp, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";
import { digestFolder } from "../support/digest.ts";

const build = (cwd: string, env: NodeJS.ProcessEnv = {}, args: string[] = []) => runCli(["build", "--runs", "runs", "--content", "content", "--out", "site", ...args], cwd, env);

describe("atomic output", () => {
  let cwd = "";
  let previous: Record<string, string> = {};
  beforeAll(async () => {
    cwd = await tempDir();
    await cp(path.join(repoRoot, "runs"), path.join(cwd, "runs"), { recursive: true });
    await cp(path.join(repoRoot, "content"), path.join(cwd, "content"), { recursive: true });
    const first = await build(cwd);
    expect(first.code, first.stderr).toBe(0);
    previous = await digestFolder(path.join(cwd, "site"));
  }, 180_000);

  // Each kill is a real SIGKILL the build sends itself at that point (src/io/killPoint.ts).
  // The figure cache is emptied first, so that figures are still being drawn when the build dies.
  for (const point of ["load", "mid-pages", "swap"] as const) {
    it(`a build killed with SIGKILL at "${point}" leaves the previous output identical; the next build succeeds with nothing left behind`, async () => {
      await rm(path.join(cwd, ".runsite-cache", "figures"), { recursive: true, force: true });
      // With --site (canonical links on every page), so that the killed build's output would differ from the previous one.
      const killed = await build(cwd, { RUNSITE_TEST_KILL: point }, ["--site", "https://lab.example.org"]);
      expect(killed.signal).toBe("SIGKILL");
      expect(await digestFolder(path.join(cwd, "site"))).toEqual(previous);
      expect((await readdir(cwd)).sort()).toEqual([".runsite-cache", "content", "runs", "site"]);
      const next = await build(cwd);
      expect(next.code, next.stderr).toBe(0);
      expect((await readdir(cwd)).sort()).toEqual([".runsite-cache", "content", "runs", "site"]);
      expect((await readdir(path.join(cwd, ".runsite-cache"))).filter((n) => /^(output|trash|staging)-/.test(n))).toEqual([]);
      expect(await digestFolder(path.join(cwd, "site"))).toEqual(previous);
    }, 300_000);
  }

  it("a build killed between the two renames of the swap is completed by the next build", async () => {
    const killed = await build(cwd, { RUNSITE_TEST_KILL: "swap-renamed" }, ["--site", "https://lab.example.org"]);
    expect(killed.signal).toBe("SIGKILL");
    const next = await build(cwd);
    expect(next.code, next.stderr).toBe(0);
    // The killed build had finished: its site (with canonical links) is the one completed, then replaced by the next build's.
    expect(await digestFolder(path.join(cwd, "site"))).toEqual(previous);
    expect((await readdir(cwd)).sort()).toEqual([".runsite-cache", "content", "runs", "site"]);
    expect((await readdir(path.join(cwd, ".runsite-cache"))).filter((n) => /^(output|trash|staging|swap)-/.test(n))).toEqual([]);
  }, 300_000);

  it("a build that fails (an invalid run tree) leaves the previous output identical", async () => {
    const failed = await runCli(["build", "--runs", "missing", "--content", "content", "--out", "site"], cwd);
    expect(failed.code).toBe(2);
    expect(await digestFolder(path.join(cwd, "site"))).toEqual(previous);
  });
});

describe("failures stay local", () => {
  it("a figure that throws on one experiment: the build exits 0, its page says so in the figure's place, the problems page lists it", async () => {
    const cwd = await tempDir();
    const slug = "2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20";
    const result = await runCli(["build", "--runs", path.join(repoRoot, "runs"), "--content", path.join(repoRoot, "content"), "--out", "site"], cwd, {
      RUNSITE_TEST_FIGURE_FAILURE: slug,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/11 experiments, 11 pages written, 1 problems/);
    expect(result.stdout + result.stderr).toContain(`${slug}.csv: warning: the figure could not be drawn: injected failure`);
    const page = await readFile(path.join(cwd, "site/experiments", slug, "index.html"), "utf8");
    expect(page).toContain("This figure could not be drawn: injected failure (RUNSITE_TEST_FIGURE_FAILURE)");
    expect(page).not.toContain("runsite-panel");
    const other = await readFile(path.join(cwd, "site/experiments/2021-03-17/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_Adam_fat_384x192x1_N48_E300_L3_FBL8/index.html"), "utf8");
    expect(other).toContain("runsite-panel");
    const problems = await readFile(path.join(cwd, "site/problems/index.html"), "utf8");
    expect(problems).toContain("Figures that could not be drawn");
    expect(problems).toContain(`${slug}.csv`);
    const strict = await runCli(["build", "--strict", "--runs", path.join(repoRoot, "runs"), "--content", path.join(repoRoot, "content"), "--out", "site"], cwd, {
      RUNSITE_TEST_FIGURE_FAILURE: slug,
    });
    expect(strict.code).toBe(1);
    expect(await readFile(path.join(cwd, "site/experiments", slug, "index.html"), "utf8")).toBe(page);
  }, 300_000);
});
