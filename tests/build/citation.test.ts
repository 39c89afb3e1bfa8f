import { execFileSync } from "node:child_process";
import { appendFile, cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Cite } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir, userEnv } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";

const dr40 = "2021-03-02/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40";
const changed = "2021-03-10/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_Adam_fat_768x384x1_N204_E24_L4_FBL24";

/** The two blocks of "Cite this experiment" on a built page, as text. */
async function citeBlocks(site: string, slug: string): Promise<{ apa: string; bibtex: string; html: string }> {
  const html = await readFile(path.join(site, "experiments", slug, "index.html"), "utf8");
  const section = html.slice(html.indexOf('class="cite-experiment"'));
  const [apa, bibtex] = [...section.matchAll(/<pre[^>]*><code[^>]*>([\s\S]*?)<\/code><\/pre>/g)].map((m) =>
    m[1]!
      .replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"'),
  );
  return { apa: apa!, bibtex: bibtex!, html };
}

describe("citations of an archive in its own git repository, built without --site", () => {
  let site: string;
  let commit: string;
  let output: string;
  beforeAll(async () => {
    // The archive's repository: the runs and a CITATION.cff at its root, committed; then one history changed.
    const repo = await tempDir("runsite-archive-");
    await cp(path.join(repoRoot, "runs"), path.join(repo, "runs"), { recursive: true });
    await writeFile(
      path.join(repo, "CITATION.cff"),
      "cff-version: 1.2.0\nmessage: Please cite the archive.\ntitle: Fat MRI runs\nauthors:\n  - family-names: Doe\n    given-names: Jane\n    orcid: https://orcid.org/0000-0002-1825-0097\n  - name: Fat Segmentation Lab\nlicense: CC-BY-4.0\n",
    );
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=Lab", "-c", "user.email=lab@example.org", "-c", "commit.gpgsign=false", ...args], {
        cwd: repo,
        env: userEnv(),
        encoding: "utf8",
      }).trim();
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "runs");
    commit = git("rev-parse", "HEAD");
    await appendFile(path.join(repo, "runs", `${changed}.csv`), "");
    await writeFile(path.join(repo, "runs", `${changed}.csv`), (await readFile(path.join(repo, "runs", `${changed}.csv`), "utf8")).replace(/\n$/, "\r\n"));
    const build = await runCli(["build", "--runs", "runs", "--content", path.join(repoRoot, "content"), "--out", "site"], repo);
    expect(build.code, build.stderr).toBe(0);
    site = path.join(repo, "site");
    // Astro's logger writes warnings to stdout.
    output = build.stdout + build.stderr;
  });

  it("a committed history cites the archive repository's commit and the authors of its CITATION.cff", async () => {
    const { bibtex, apa, html } = await citeBlocks(site, dr40);
    const [item] = new Cite(bibtex).data as Array<Record<string, unknown>>;
    expect(item!["note"]).toContain(`git commit: ${commit}`);
    expect(commit).not.toBe(execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim());
    expect(item!["author"]).toEqual([{ family: "Doe", given: "Jane" }, { family: "Fat Segmentation Lab" }]);
    // Two authors: citeproc's APA style joins them without the serial comma.
    expect(apa).toMatch(
      /^Doe, J\. & Fat Segmentation Lab\. \(2021\)\. U-Net, AdaDelta, Fat MRI 768×384, .*40 % dropout \(2021-03-02\) \[Dataset\]\. Experiment archive\. \/experiments\/2021-03-02\//,
    );
    expect(html).toContain('<meta name="citation_author" content="Doe, Jane">');
    expect(html).toContain('<meta name="citation_author" content="Fat Segmentation Lab">');
  });

  it("a history changed since the commit cites no commit", async () => {
    const { bibtex } = await citeBlocks(site, changed);
    expect(bibtex).not.toContain("git commit");
  });

  it("without --site the build warns once, and the cite block says its URL is relative", async () => {
    expect(output.match(/no --site given/g)).toHaveLength(1);
    expect(output).not.toContain("no author");
    const { html, bibtex } = await citeBlocks(site, dr40);
    expect(html).toMatch(/<p class="relative-url"[^>]*>The URL below is relative/);
    expect(bibtex).toContain(`url = {/experiments/${dr40}/}`);
  });

  it("/CITATION.cff carries the archive's authors and licence and the commit", async () => {
    const cff = await readFile(path.join(site, "CITATION.cff"), "utf8");
    expect(cff).toContain("  - family-names: Doe\n    given-names: Jane\n    orcid: https://orcid.org/0000-0002-1825-0097\n");
    expect(cff).toContain("  - name: Fat Segmentation Lab\n");
    expect(cff).toMatch(/^license: CC-BY-4\.0$/m);
    expect(cff).toMatch(new RegExp(`^commit: ${commit}$`, "m"));
    expect(cff).not.toMatch(/^url:/m);
  });
});
