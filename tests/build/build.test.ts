import { copyFile, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePath, repoRoot } from "../support/fixtures.ts";
import { runCli, tempDir } from "../support/cli.ts";

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

describe("runsite build on the sample archive", () => {
  let cwd: string;
  let result: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    cwd = await tempDir();
    // The sample's settings (min_delta 0.005), as `npm run build` reads them.
    await copyFile(path.join(repoRoot, "runsite.config.json"), path.join(cwd, "runsite.config.json"));
    result = await runCli(["build", "--runs", path.join(repoRoot, "runs"), "--content", path.join(repoRoot, "content"), "--out", "site"], cwd);
  });

  it("runsite build ends with one summary line: files found, experiments, pages written, problems, seconds", () => {
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^runsite: 11 files found \(11 read, 0 unreadable\), 11 experiments, 11 pages written, 0 problems, \d+\.\d s$/);
  });
  it("runsite build writes an index, a problems page and one page and one download per run", async () => {
    const files = await listFiles(path.join(cwd, "site"));
    const pages = files.filter((f) => f.startsWith("experiments/"));
    expect(pages).toHaveLength(11);
    expect(pages).toContain("experiments/2021-03-02/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40/index.html");
    expect(files).toContain("index.html");
    expect(files).toContain("problems/index.html");
    expect(files.filter((f) => f.startsWith("files/"))).toHaveLength(11);
  });
  it("runsite build offers each history byte for byte, CRLF included", async () => {
    const name = "2021-03-17/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_Adam_fat_384x192x1_N48_E300_L3_FBL8.csv";
    const served = await readFile(path.join(cwd, "site/files", name));
    const original = await readFile(path.join(repoRoot, "runs", name));
    expect(served.equals(original)).toBe(true);
  });
  it("runsite build links every experiment from the index, grouped by date", async () => {
    const html = await readFile(path.join(cwd, "site/index.html"), "utf8");
    const links = [...html.matchAll(/href="\/experiments\/([^"]+)\/"/g)].map((m) => m[1]);
    expect(links).toHaveLength(11);
    expect(new Set(links).size).toBe(11);
    const dates = [...html.matchAll(/id="date-([\d-]+)"/g)].map((m) => m[1]);
    expect(dates).toEqual(["2021-03-01", "2021-03-02", "2021-03-10", "2021-03-11", "2021-03-12", "2021-03-15", "2021-03-17"]);
  });
  it("runsite build shows stopped at 10 of 40 planned epochs for the early-stopped run", async () => {
    const html = await readFile(
      path.join(cwd, "site/experiments/2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20/index.html"),
      "utf8",
    );
    expect(html).toMatch(/Epochs run: <strong>10<\/strong><\/span>\s*<span> of 40 planned<\/span>\s*<span class="badge"[^>]*>stopped early<\/span>/);
    expect(html).toContain('<figcaption><span class="stem">unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20</span> · download <a');
    // The best and final values count epochs as Keras prints them: the last row, the CSV's epoch 9, is Keras' 10 (the header's title says the file's is one less).
    const best = html.slice(html.indexOf('<table class="best"'), html.indexOf("</table>", html.indexOf('<table class="best"')));
    expect(best).toMatch(/<code>val_loss<\/code><\/th>(?:<td[^>]*>[^<]*<\/td>){3}<td>10<\/td>/);
    expect(best).toContain(`title="as Keras prints it, from 1; the file's epoch column is 1 less"`);
  });
});

describe("runsite build on a broken archive", () => {
  it("runsite build reports every problem as path:line and lists every file: pages + unreadable = found", async () => {
    const cwd = await tempDir();
    const { code, stdout, stderr } = await runCli(["build", "--runs", fixturePath("archives/broken"), "--content", path.join(repoRoot, "content"), "--out", "site"], cwd);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^runsite: 4 files found \(2 read, 2 unreadable\), 2 experiments, 2 pages written, 3 problems, /);
    const warnings = stderr + stdout;
    expect(warnings).toContain("2024-01-01/net/data/net_Adam_data_E3_empty.csv:1: file is empty (expected a header line starting with epoch, got no text)");
    expect(warnings).toContain('2024-01-01/net/data/net_Adam_data_E3_noepoch.csv:1: header has no epoch column (expected a header line starting with epoch, got "loss,acc")');
    expect(warnings).toContain(
      "2024-01-01/net/data/net_Adam_data_E4_ragged.csv:3: warning: row has a different number of fields than the header; left out (line 3) (expected 3 fields, got 4)",
    );
    expect(warnings).toContain(
      '2024-01-01/net/data/net_Adam_data_E4_ragged.csv:5: warning: column "val_loss": value is not a number; kept as missing (expected a number, nan, inf or an empty cell, got "oops")',
    );
    const problems = await readFile(path.join(cwd, "site/problems/index.html"), "utf8");
    expect(problems).toContain("4 files found = 2 read into 2 experiment pages + 2 that could not be read.");
    for (const name of ["net_Adam_data_E3_empty.csv", "net_Adam_data_E3_noepoch.csv", "net_Adam_data_E4_ragged.csv"]) expect(problems).toContain(name);
  });
  it("runsite build over the 41-file corpus of real logs: every file is read into a page or listed as a problem", async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, "runsite.config.json"), JSON.stringify({ extensions: [".csv", ".log", ".tsv", ".txt", ".json"] }));
    const { code, stdout } = await runCli(["build", "--runs", fixturePath("corpus"), "--out", "site"], cwd);
    expect(code).toBe(0);
    const summary = stdout.trim().split("\n").at(-1)!;
    // Since the format registry (issue 13) the three files in other/ read too: every file has a page.
    expect(summary).toMatch(/^runsite: 41 files found \(41 read, 0 unreadable\), 41 experiments, 41 pages written, \d+ problems, /);
    const tensorboard = await readFile(path.join(cwd, "site/experiments/tensorboard_events/index.html"), "utf8");
    expect(tensorboard).toContain('data-metric="loss"');
  });
  it("runsite build on an empty run tree writes an empty archive and says so", async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, "runs"));
    const { code, stdout } = await runCli(["build", "--out", "site"], cwd);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^runsite: 0 files found \(0 read, 0 unreadable\), 0 experiments, 0 pages written, 0 problems, /);
    expect(await readFile(path.join(cwd, "site/index.html"), "utf8")).toContain("0 experiments from 0 history files");
  });
  it("runsite build --strict fails with exit code 1 when a file has a problem", async () => {
    const cwd = await tempDir();
    const { code, stderr } = await runCli(["build", "--strict", "--runs", fixturePath("archives/broken"), "--out", "site"], cwd);
    expect(code).toBe(1);
    expect(stderr).toMatch(/strict: \d+ problems/);
  });
  it("runsite build --runs <missing folder> exits with code 2 and says what was expected", async () => {
    const cwd = await tempDir();
    const { code, stderr } = await runCli(["build", "--runs", "no-such-folder"], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain(`runsite: runs folder not found: ${path.join(cwd, "no-such-folder")} (expected a folder of training histories; pass --runs DIR)`);
  });
  it("runsite --help prints the usage and exits 0; an unknown flag exits 2", async () => {
    const cwd = await tempDir();
    expect((await runCli(["--help"], cwd)).stdout).toMatch(/^usage: runsite init/);
    expect((await runCli(["build", "--nope"], cwd)).code).toBe(2);
  });
});
