// Failures stay local (issue #15): an experiment page that throws while it is
// rendered is written as a short page that says why and is listed as a problem;
// the build exits 0 unless --strict. Any other page that throws fails the build
// and leaves the previous output as it was.
import { access, copyFile, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { digestFolder } from "../support/digest.ts";
import { repoRoot } from "../support/fixtures.ts";

const slug = "2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20";
const pagePath = `experiments/${slug}/index.html`;
const build = (cwd: string, out: string, env: NodeJS.ProcessEnv = {}, args: string[] = []) =>
  runCli(["build", "--runs", path.join(repoRoot, "runs"), "--content", path.join(repoRoot, "content"), "--out", out, ...args], cwd, env);
const failing = { RUNSITE_TEST_PAGE_FAILURE: slug };
/** The site's files but the search index, whose file names are hashes of everything indexed. */
const withoutSearch = (digest: Record<string, string>) => Object.fromEntries(Object.entries(digest).filter(([file]) => !file.startsWith("pagefind/")));

describe("an experiment page that throws while rendered", () => {
  let cwd = "";
  let normal: Record<string, string> = {};
  let failed: Record<string, string> = {};
  let stdout = "";
  beforeAll(async () => {
    cwd = await tempDir();
    await copyFile(path.join(repoRoot, "runsite.config.json"), path.join(cwd, "runsite.config.json"));
    const first = await build(cwd, "normal");
    expect(first.code, first.stderr).toBe(0);
    normal = await digestFolder(path.join(cwd, "normal"));
    const second = await build(cwd, "site", failing);
    expect(second.code, second.stderr).toBe(0);
    stdout = second.stdout + second.stderr;
    failed = await digestFolder(path.join(cwd, "site"));
  }, 300_000);

  it("costs that page, not the build: exit 0, counted and reported as its problem", () => {
    expect(stdout).toMatch(/11 experiments, 11 pages written, 1 problems/);
    expect(stdout).toContain(`${slug}.csv: warning: the page could not be rendered: injected failure (RUNSITE_TEST_PAGE_FAILURE)`);
  });

  it("leaves every other page as a normal build writes it", () => {
    const changed = Object.keys(withoutSearch(normal)).filter((file) => failed[file] !== normal[file]);
    // .runsite-build: the failed page is not recorded as built, so the next build renders it again.
    expect(changed.sort()).toEqual([".runsite-build", pagePath, "problems/index.html"].sort());
    expect(Object.keys(withoutSearch(failed)).sort()).toEqual(Object.keys(withoutSearch(normal)).sort());
  });

  it("writes the failed page with its title, the notice, links to its data and back to the index", async () => {
    const page = await readFile(path.join(cwd, "site", pagePath), "utf8");
    expect(page).toContain("<h1>Attention U-Net, AdaDelta, Fat MRI 768×384, epochs 40, 20 % dropout (2021-03-12)</h1>");
    expect(page).toContain("This page could not be rendered: injected failure (RUNSITE_TEST_PAGE_FAILURE)");
    expect(page).toContain('<a href="/">Archive</a>');
    expect(page).not.toContain("<script");
    const links = [...page.matchAll(/href="\/([^"]+)" download/g)].map((m) => m[1]);
    expect(links).toEqual([`files/${slug}.csv`, `downloads/${slug}/history.json`]);
    // The links lead somewhere: the original file and the normalised history are in the site.
    for (const link of links) await access(path.join(cwd, "site", link!));
    expect(await readFile(path.join(cwd, "site", `files/${slug}.csv`), "utf8")).toBe(await readFile(path.join(repoRoot, "runs", `${slug}.csv`), "utf8"));
  });

  it("lists the failed page on the problems page, which a normal build leaves saying there is none", async () => {
    const problems = await readFile(path.join(cwd, "site/problems/index.html"), "utf8");
    expect(problems).toContain("Pages that could not be rendered");
    expect(problems).toContain(
      `<a href="/experiments/${slug}/"><code>${slug}.csv: warning: the page could not be rendered: injected failure (RUNSITE_TEST_PAGE_FAILURE)</code></a>`,
    );
    expect(problems).not.toContain("Every file was read without a problem.");
    const clean = await readFile(path.join(cwd, "normal/problems/index.html"), "utf8");
    expect(clean).toContain("Every file was read without a problem.");
    expect(clean).not.toContain("Pages that could not be rendered");
  });

  it("fails a --strict build, which leaves the previous output as it was", async () => {
    const strict = await build(cwd, "site", failing, ["--strict"]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/strict: 1 problems/);
    expect(await digestFolder(path.join(cwd, "site"))).toEqual(failed);
  }, 300_000);

  it("is rendered and listed again by the next (incremental) build, which writes the same site", async () => {
    const again = await build(cwd, "site", failing);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/1 pages written \(10 unchanged, kept\), 1 problems/);
    expect(await digestFolder(path.join(cwd, "site"))).toEqual(failed);
  }, 300_000);

  it("a page that is no experiment's (the problems page) still fails the build, leaving the previous output as it was", async () => {
    const broken = await build(cwd, "normal", { RUNSITE_TEST_PAGE_FAILURE: "/problems" });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("injected failure (RUNSITE_TEST_PAGE_FAILURE)");
    expect(await digestFolder(path.join(cwd, "normal"))).toEqual(normal);
  }, 300_000);
});
