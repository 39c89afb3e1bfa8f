import { appendFile, cp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";
import { digestFolder } from "../support/digest.ts";

/** Builds `runs` into `<cwd>/<out>`; returns the summary line. */
async function build(cwd: string, out: string): Promise<string> {
  const result = await runCli(["build", "--runs", "runs", "--content", "content", "--out", out, "--site", "https://lab.github.io", "--base", "/fat-unet/"], cwd);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split("\n").at(-1)!;
}

const changedRun = "runs/2021-03-15/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_AdaDelta_fat_384x192x1_N48_E60_L4_FBL24_DR40.csv";

describe("incremental builds", () => {
  it("after one history gains a row, a rebuild renders that run's page and its comparisons, keeps the rest, and writes the same site as a full build", async () => {
    const cwd = await tempDir();
    await cp(path.join(repoRoot, "runs"), path.join(cwd, "runs"), { recursive: true });
    await cp(path.join(repoRoot, "content"), path.join(cwd, "content"), { recursive: true });
    expect(await build(cwd, "site")).toMatch(/, 11 pages written, /);

    // A training writes one more epoch (the last row again, one epoch later, CRLF as Keras writes).
    const file = path.join(cwd, changedRun);
    const lines = (await readFile(file, "utf8")).trimEnd().split("\r\n");
    const last = lines.at(-1)!.split(",");
    await appendFile(file, `${[Number(last[0]) + 1, ...last.slice(1)].join(",")}\r\n`);

    const summary = await build(cwd, "site");
    expect(summary).toMatch(/, 1 pages written \(10 unchanged, kept\), /);
    const fresh = await build(cwd, "fresh");
    expect(fresh).toMatch(/, 11 pages written, /);
    const [incremental, full] = [await digestFolder(path.join(cwd, "site")), await digestFolder(path.join(cwd, "fresh"))];
    expect(Object.keys(incremental).length).toBeGreaterThan(60);
    expect(incremental).toEqual(full);
    // The changed run's page shows the new epoch.
    const page = await readFile(path.join(cwd, "site", changedRun.replace(/^runs/, "experiments").replace(/\.csv$/, "/index.html")), "utf8");
    expect(page).toContain(`Epochs run: <strong>${Number(last[0]) + 2}</strong>`);
  }, 240_000);

  it("a change to the content folder, or a previous output that lost files, makes a full build", async () => {
    const cwd = await tempDir();
    await cp(path.join(repoRoot, "runs"), path.join(cwd, "runs"), { recursive: true });
    await cp(path.join(repoRoot, "content"), path.join(cwd, "content"), { recursive: true });
    await build(cwd, "site");
    expect(await build(cwd, "site")).toMatch(/, 0 pages written \(11 unchanged, kept\), /);
    await writeFile(path.join(cwd, "content", "labels", "metrics.yml"), `${await readFile(path.join(cwd, "content", "labels", "metrics.yml"), "utf8")}\n# edited\n`);
    expect(await build(cwd, "site")).toMatch(/, 11 pages written, /);
    const pages = (await readdir(path.join(cwd, "site", "experiments"), { recursive: true })).filter((f) => f.endsWith("index.html"));
    await rm(path.join(cwd, "site", "experiments", pages[0]!));
    expect(await build(cwd, "site")).toMatch(/, 11 pages written, /);
  }, 240_000);
});
